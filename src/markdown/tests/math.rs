//! `$…$` and `$$…$$`: MathML output, what it contributes to the plain-text views, and what
//! the math extension does to ordinary prose with dollar signs. Errors and hostile formulas
//! are in `math_errors.rs`.

use super::*;

/// Snapshot files named without the module path, as `snapshot.rs` does.
fn snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

/// Formulas from essays and the constructs that make math-core write `style` attributes.
const FORMULAS: &[&str] = &[
    r"r = \frac{\text{replies}}{\text{reach}}",
    r"\text{response rate} = \frac{\text{responses}}{\text{reach}} \times 100\%",
    r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}",
    r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
    r"\lim_{n\to\infty} \left(1 + \frac{1}{n}\right)^n = e",
    r"A = \begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}",
    r"f(n) = \begin{cases} n/2 & \text{if } n \text{ is even} \\ 3n+1 & \text{otherwise} \end{cases}",
    r"\hat\theta = \operatorname{arg\,max}_{\theta} \mathcal{L}(\theta)",
    r"\mathbb{E}[X] = \sum_{x \in \mathbb{R}} x \, p(x)",
    r"\hat{x}, \bar{y}, \vec{v}, \tilde{n}, \dot{x}, \ddot{x}, \check{x}, \breve{x}",
    r"f'(x) + f''(x) + g'''",
    r"\color{red}{x} + y",
    r"\begin{array}{|c|l:r|} a & b & c \end{array}",
    r"\begin{align} a &= b \\ c &= d \end{align}",
    r"\begin{multline} a \\ b \\ c \end{multline}",
    r"\sum_{\begin{subarray}{l} i \\ j \end{subarray}} x",
    r"\cfrac{1}{1+\cfrac{1}{x}}",
    r"\mathstrut x \textsc{Abc} \hspace{3pt} y",
    r"a \! b \negthinspace c \textrm{ if } d",
    r"g = \dfrac{N_{t+1} - N_t}{N_t} + \tfrac{a}{b} + \dbinom{a}{b}",
    r"\displaystyle x \textstyle y \scriptstyle z",
];

#[test]
fn formulas_are_mathml() {
    let r = render_body("Engagement is $r = \\frac{a}{b}$.\n\n$$\nx^2\n$$\n");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(
        r.html
            .as_str()
            .starts_with("<p>Engagement is <math><semantics><mrow><mi>r</mi>"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html.as_str().contains(
            "<p><span class=\"math-display\" tabindex=\"0\"><math display=\"block\"><semantics>"
        ),
        "{}",
        r.html.as_str()
    );
    // The TeX, trimmed, is the annotation.
    assert!(
        r.html.as_str().contains(
            "<annotation encoding=\"application/x-tex\" data-pagefind-ignore>x^2</annotation>"
        ),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn essay_formulas_snapshot() {
    let body = "Engagement is $r = \\frac{\\text{replies}}{\\text{reach}}$ per post.\n\n\
                $$\nf(n) = \\begin{cases} n/2 & \\text{if } n \\text{ is even} \\\\ 3n+1 & \\text{otherwise} \\end{cases}\n$$\n\n\
                $$\\begin{aligned} f(x) &= (x+1)^2 \\\\ &= x^2 + 2x + 1 \\end{aligned}$$\n\n\
                Accents $\\hat\\theta$ and $\\vec{v}$, primes $f'(x)$, colour $\\color{red}{x}$.\n";
    let r = render_body(body);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    snapshot("markdown_math_essay", &r.html.as_str());
}

#[test]
fn no_style_attribute_and_no_script_in_any_formula() {
    for tex in FORMULAS {
        for body in [format!("a ${tex}$ b\n"), format!("$$\n{tex}\n$$\n")] {
            let r = render_body(&body);
            assert!(r.diagnostics.is_empty(), "{tex}: {:?}", r.diagnostics);
            assert!(
                r.html.as_str().contains("<math"),
                "{tex}: {}",
                r.html.as_str()
            );
            assert!(
                !r.html.as_str().contains(" style="),
                "{tex}: {}",
                r.html.as_str()
            );
            assert!(
                !r.html.as_str().contains("<script"),
                "{tex}: {}",
                r.html.as_str()
            );
        }
    }
}

#[test]
fn numbered_rows_are_sized_by_the_column() {
    // Their table is 100% wide: sized by its content, the formula would be a million pixels.
    let r = render_body("$$\\begin{align} a &= b \\end{align}$$\n");
    assert!(
        r.html
            .as_str()
            .starts_with("<p><span class=\"math-display math-numbered\" tabindex=\"0\">"),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn styles_become_theme_classes_and_mathcolor() {
    let r = render_body("$$\\begin{aligned} a &= b \\end{aligned}$$\n");
    assert!(
        r.html
            .as_str()
            .contains("<mtd class=\"math-right math-pr0\">"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains("<mtd class=\"math-left math-pl0\">"),
        "{}",
        r.html.as_str()
    );
    let r = render_body("$\\color{red}{x}$ $\\mathstrut$ $\\hspace{3pt}$\n");
    assert!(
        r.html.as_str().contains("<mrow mathcolor=\"#ff0000\">"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html.as_str().contains(
            "<mphantom><mpadded width=\"0\"><mo stretchy=\"false\">(</mo> </mpadded></mphantom>"
        ),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html.as_str().contains("<mspace width=\"0.3em\"/>"),
        "{}",
        r.html.as_str()
    );
    // Every class the output uses is one the default theme styles.
    let css = include_str!("../../../themes/default/static/style.css");
    for tex in FORMULAS {
        let html = render_body(&format!("$${tex}$$\n")).html.to_string();
        for class in html
            .split("class=\"")
            .skip(1)
            .flat_map(|rest| rest[..rest.find('"').unwrap_or(0)].split(' '))
        {
            assert!(
                css.contains(&format!(".{class} ")) || css.contains(&format!(".{class},")),
                "{tex}: `.{class}` is not in style.css"
            );
        }
    }
}

/// The Nu HTML checker reads MathML 3: `scriptlevel` only on `mstyle`, `displaystyle` on
/// `mstyle` and `mtable`, and lengths in MathML 3 units (no `rem`).
#[test]
fn attributes_are_ones_the_html_checker_accepts() {
    let r = render_body("$\\dfrac{a}{b}$\n");
    assert!(
        r.html.as_str().contains(
            "<mstyle displaystyle=\"true\"><mfrac><mi>a</mi> <mi>b</mi> </mfrac></mstyle>"
        ),
        "{}",
        r.html.as_str()
    );
    for tex in FORMULAS {
        let html = render_body(&format!("$${tex}$$\n")).html.to_string();
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let name = tag.split([' ', '/']).next().unwrap_or("");
            if tag.contains(" scriptlevel=") {
                assert_eq!(name, "mstyle", "{tex}: <{tag}>");
            }
            if tag.contains(" displaystyle=") {
                assert!(matches!(name, "mstyle" | "mtable"), "{tex}: <{tag}>");
            }
            assert!(!tag.contains("rem\""), "{tex}: <{tag}>");
        }
        assert_eq!(
            html.matches("<mstyle").count(),
            html.matches("</mstyle>").count(),
            "{tex}"
        );
    }
}

#[test]
fn accents_are_spacing_characters_and_primes_follow_their_letter() {
    let r = render_body("$\\hat{x} \\vec{v} \\tilde{n}$ and $f'(x) + x_i'$\n");
    for combining in ['\u{0302}', '\u{20D7}', '\u{0303}'] {
        assert!(
            !r.html.as_str().contains(combining),
            "{combining:?} in {}",
            r.html.as_str()
        );
    }
    assert!(
        r.html.as_str().contains("<mo stretchy=\"false\">ˆ</mo>"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains("<mo stretchy=\"false\" mathsize=\"70%\">→</mo>"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains("<mi>f</mi> <mo lspace=\"0\" rspace=\"0\">′</mo>"),
        "{}",
        r.html.as_str()
    );
    // A prime on anything but a lone identifier keeps math-core's structure.
    assert!(
        r.html.as_str().contains("<msubsup><mi>x</mi>"),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn annotation_and_text_are_escaped() {
    let r = render_body("$a<b \\text{</annotation><img src=x onerror=alert(1)>}$\n");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        r.html.as_str().matches("</annotation>").count(),
        1,
        "{}",
        r.html.as_str()
    );
    assert!(!r.html.as_str().contains("<img"), "{}", r.html.as_str());
    assert!(r.html.as_str().contains("a&lt;b"), "{}", r.html.as_str());
}

#[test]
fn a_formula_is_one_word_and_its_tex_in_the_first_paragraph() {
    let r = render_body(
        "Engagement is $r = \\frac{\\text{replies}}{\\text{reach}}$ per post.\n\n\
         $$\nx + y + z\n$$\n",
    );
    assert_eq!(
        r.first_paragraph.as_deref(),
        Some("Engagement is $r = \\frac{\\text{replies}}{\\text{reach}}$ per post.")
    );
    assert_eq!(
        r.word_count, 6,
        "Engagement is · per post · the display formula"
    );
    let r = render_body("$$x^2$$\n\nThen prose.\n");
    assert_eq!(r.first_paragraph.as_deref(), Some("$$x^2$$"));
}

#[test]
fn headings_with_math_get_plain_ids_and_toc_titles() {
    let r = render_body("## Why $r$ matters\n");
    assert_eq!(r.heading_ids, ["why-r-matters"]);
    assert_eq!(r.toc[0].title, "Why $r$ matters");
    assert!(
        r.html.as_str().contains("Why <math>"),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn math_in_image_alt_text_stays_tex() {
    let r = render_body("![the $x^2$ curve](curve.png)\n");
    assert!(
        r.html.as_str().contains("alt=\"the $x^2$ curve\""),
        "{}",
        r.html.as_str()
    );
    assert!(!r.html.as_str().contains("<math"), "{}", r.html.as_str());
}

#[test]
fn summaries_keep_their_mathml() {
    let r = render_body("Intro $x^2$.\n\n<!-- more -->\n\nRest $y$.\n");
    let summary = r.summary_html.unwrap_or_default();
    assert!(summary.contains("<math>"), "{summary}");
    assert!(!summary.contains("<mi>y</mi>"), "{summary}");
}

/// What the math extension does to prose: pulldown-cmark opens a formula at a `$` not
/// followed by a space and closes it at a `$` not preceded by one (within balanced braces).
#[test]
fn prose_with_dollars() {
    let plain = [
        ("It costs $5 and $10.", "It costs $5 and $10."),
        (
            "Between $5, $10 or $20 a month.",
            "Between $5, $10 or $20 a month.",
        ),
        (
            "The $PATH and $HOME variables.",
            "The $PATH and $HOME variables.",
        ),
        ("A \\$5 fee and a \\$10 fee.", "A $5 fee and a $10 fee."),
        ("Not math: $ x $.", "Not math: $ x $."),
        ("Code `$x$` stays.", "Code <code>$x$</code> stays."),
        (
            "An unbalanced $\\frac{a}{b$ is text.",
            "An unbalanced $\\frac{a}{b$ is text.",
        ),
    ];
    for (body, html) in plain {
        let r = render_body(&format!("{body}\n"));
        assert_eq!(r.html.as_str(), format!("<p>{html}</p>\n"), "{body}");
        assert!(r.diagnostics.is_empty(), "{body}: {:?}", r.diagnostics);
    }
    let r = render_body("```\n$x$ and $$y$$\n```\n");
    assert!(!r.html.as_str().contains("<math"), "{}", r.html.as_str());
    // `$$` mid-sentence is display math there.
    let r = render_body("A $$ x + y $$ thing.\n");
    assert!(
        r.html.as_str().starts_with(
            "<p>A <span class=\"math-display\" tabindex=\"0\"><math display=\"block\">"
        ),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn prices_read_as_a_formula_get_a_located_warning() {
    for (body, column, width) in [
        ("Between US$20 and US$30 a month.\n", 11, 11),
        ("From $5-$10.\n", 6, 4),
        ("Either ($5) or ($10).\n", 9, 9),
    ] {
        let r = render_body(body);
        assert_eq!(r.diagnostics.len(), 1, "{body}: {:?}", r.diagnostics);
        let d = &r.diagnostics[0];
        assert!(!d.is_error(), "{body}");
        assert!(d.message.contains("amounts of money"), "{}", d.message);
        assert!(d.help.as_deref().unwrap_or("").contains("`\\$`"));
        let loc = d.location.as_ref().unwrap();
        assert_eq!(
            (loc.line, loc.column, loc.width),
            (4, column, width),
            "{body}"
        );
    }
    // Real formulas that start with a digit are not prices.
    for body in ["$2x + 3$", "$3 \\times 4$", "$2 n + 1$", "$10^6$"] {
        let r = render_body(&format!("{body}\n"));
        assert!(r.diagnostics.is_empty(), "{body}: {:?}", r.diagnostics);
    }
}

#[test]
fn text_of_a_formula_keeps_its_words_apart_and_search_skips_the_tex() {
    // What search and reader modes take from the page: the text of the elements, with the
    // annotation left out (`data-pagefind-ignore`).
    let r = render_body("$r = \\frac{\\text{replies}}{\\text{reach}}$\n");
    let html = r.html.to_string();
    let drawn = html.split("<annotation").next().unwrap_or("");
    assert!(
        r.html
            .as_str()
            .contains("<annotation encoding=\"application/x-tex\" data-pagefind-ignore>"),
        "{}",
        r.html.as_str()
    );
    let mut text = String::new();
    let mut in_tag = false;
    for c in drawn.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        "r = replies reach"
    );
}
