//! Formulas that do not parse: located errors with what to write instead; and hostile
//! formulas, which must end in bounded time without a panic or a stack overflow.

use std::time::{Duration, Instant};

use super::*;

/// The one diagnostic of `body`: message, (line, column, width), label and help.
fn only_error(body: &str) -> (String, (usize, usize, usize), String, String) {
    let r = render_body(body);
    assert_eq!(r.diagnostics.len(), 1, "{body}: {:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert!(d.is_error(), "{body}: {d:?}");
    let loc = d.location.as_ref().expect("located");
    (
        d.message.clone(),
        (loc.line, loc.column, loc.width),
        d.label.clone().unwrap_or_default(),
        d.help.clone().unwrap_or_default(),
    )
}

#[test]
fn unknown_command_is_located_at_the_command_with_a_suggestion() {
    let (message, at, label, help) = only_error("A typo: $\\fracc{a}{b}$ here.\n");
    assert_eq!(message, "unknown command `\\fracc` in a formula");
    assert_eq!(at, (4, 10, 6));
    assert_eq!(label, "did you mean `\\frac`?");
    assert!(help.contains("spelling"), "{help}");
    for (typo, fix) in [
        ("sqrtt", "sqrt"),
        ("apha", "alpha"),
        ("lamda", "lambda"),
        ("Sqrt", "sqrt"),
        ("opertorname", "operatorname"),
        ("textbff", "textbf"),
    ] {
        let (_, _, label, _) = only_error(&format!("$\\{typo}{{x}}$\n"));
        assert_eq!(label, format!("did you mean `\\{fix}`?"), "{typo}");
    }
}

#[test]
fn display_formula_errors_are_located_on_their_own_line() {
    let (message, at, ..) = only_error("Text.\n\n$$\nx = \\sqrtt{2}\n$$\n");
    assert_eq!(message, "unknown command `\\sqrtt` in a formula");
    assert_eq!(at, (7, 5, 6));
}

#[test]
fn each_kind_of_error_says_what_to_do() {
    let cases = [
        (
            "$\\begin{foo} x \\end{foo}$\n",
            "unknown environment `foo` in a formula",
            (4, 8, 5),
            "the environments are",
        ),
        (
            "$\\begin{matrx} x \\end{matrx}$\n",
            "unknown environment `matrx` in a formula",
            (4, 8, 7),
            "the environments are",
        ),
        (
            "$$\\left( x$$\n",
            "unclosed group in a formula: `\\right` is missing",
            (4, 11, 1),
            "`\\right.` draws nothing",
        ),
        (
            "$$\\begin{matrix} a & b$$\n",
            "unclosed group in a formula: `\\end{...}` is missing",
            (4, 23, 1),
            "`\\end{…}`",
        ),
        (
            "$a + b \\right)$\n",
            "`\\right` in a formula closes nothing",
            (4, 8, 6),
            "remove it, or add what `\\right` closes",
        ),
        (
            "$x^2^3$\n",
            "formula does not parse: duplicate subscript or superscript",
            (4, 5, 1),
            "writing guide",
        ),
        (
            "$\\def\\x{y} \\x$\n",
            "unknown command `\\def` in a formula",
            (4, 2, 4),
            "write out what the command would stand for",
        ),
    ];
    for (body, message, at, help) in cases {
        let (m, a, _, h) = only_error(body);
        assert_eq!((m.as_str(), a), (message, at), "{body}");
        assert!(h.contains(help), "{body}: {h}");
    }
    let (_, _, label, _) = only_error("$\\begin{matrx} x \\end{matrx}$\n");
    assert_eq!(label, "did you mean `matrix`?");
}

#[test]
fn an_error_in_a_price_like_formula_mentions_escaping_the_dollar() {
    let (_, _, _, help) = only_error("Costs $5^^$ or so.\n");
    assert!(help.contains("write each as `\\$`"), "{help}");
}

#[test]
fn a_formula_over_several_container_lines_is_located_at_its_dollar() {
    // Inside a blockquote the `> ` markers are not part of the formula, so the TeX does not
    // stand in the file as given: the error points at the opening `$`.
    let (message, at, ..) = only_error("> Quote $a +\n> \\fracc{1}{2}$ end.\n");
    assert_eq!(message, "unknown command `\\fracc` in a formula");
    assert_eq!(at, (4, 9, 1));
}

#[test]
fn errors_are_collected_with_the_page_and_rendering_goes_on() {
    let r = render_body(
        "$\\fracc{a}{b}$ then [gone](../missing.md) then $\\sqrtt{2}$.\n\n$$\\frac{1}{2}$$\n",
    );
    assert_eq!(
        messages(&r),
        [
            "unknown command `\\fracc` in a formula",
            "broken link to `../missing.md`: no such page",
            "unknown command `\\sqrtt` in a formula",
        ]
    );
    // The preview shows a broken formula as written; the good one is still MathML.
    assert!(
        r.html
            .as_str()
            .contains("<code class=\"math-error\">$\\fracc{a}{b}$</code>"),
        "{}",
        r.html.as_str()
    );
    assert!(
        r.html
            .as_str()
            .contains("<mfrac><mn>1</mn> <mn>2</mn> </mfrac>"),
        "{}",
        r.html.as_str()
    );
}

/// Renders `body`, which must take less than `limit`, and returns the diagnostics' messages.
fn bounded(body: &str, limit: Duration) -> Rendered {
    let start = Instant::now();
    let r = render_body(body);
    let took = start.elapsed();
    let head: String = body.chars().take(30).collect();
    assert!(took < limit, "{head:?} took {took:?}");
    assert!(
        r.html.as_str().len() < body.len() * 40 + 10_000,
        "{head:?}: {} bytes of HTML",
        r.html.as_str().len()
    );
    r
}

#[test]
fn a_formula_over_the_size_cap_is_a_located_error() {
    let tex = "x+".repeat(512 * 1024);
    let r = bounded(&format!("Text.\n\n$${tex}$$\n"), Duration::from_secs(5));
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!(
        d.message,
        format!(
            "formula is 1024 KiB; the most sheaf renders is {} KiB",
            super::super::math::MAX_FORMULA_BYTES / 1024
        )
    );
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (6, 3));
}

#[test]
fn deep_nesting_within_the_cap_neither_overflows_nor_hangs() {
    let half = super::super::math::MAX_FORMULA_BYTES / 2 - 8;
    let cases = [
        format!("{}x{}", "{".repeat(half), "}".repeat(half)),
        format!("{}x{}", "\\frac{".repeat(half / 5), "}{y}".repeat(half / 5)),
        format!("{}x{}", "\\sqrt{".repeat(half / 5), "}".repeat(half / 5)),
        format!("{}x", "\\sqrt ".repeat(half / 3)),
        format!("{}x", "\\hat ".repeat(half / 3)),
        format!(
            "{}x{}",
            "\\left(".repeat(half / 7),
            "\\right)".repeat(half / 7)
        ),
        format!("{}x{}", "x^{".repeat(half / 3), "}".repeat(half / 3)),
        format!(
            "{}x{}",
            "\\begin{matrix}".repeat(half / 14),
            "\\end{matrix}".repeat(half / 14)
        ),
        format!("{}x{}", "\\mathbf{".repeat(half / 8), "}".repeat(half / 8)),
        "x_".repeat(half) + "x",
    ];
    for tex in &cases {
        assert!(tex.len() <= super::super::math::MAX_FORMULA_BYTES);
        for body in [format!("${tex}$\n"), format!("$$\n{tex}\n$$\n")] {
            bounded(&body, Duration::from_secs(10));
        }
    }
}

#[test]
fn macro_bombs_are_refused() {
    let mut bomb = String::from("\\def\\a{xx}");
    let mut previous = 'a';
    for name in 'b'..='z' {
        bomb.push_str(&format!("\\def\\{name}{{\\{previous}\\{previous}}}"));
        previous = name;
    }
    bomb.push_str("\\z");
    for tex in [
        bomb.as_str(),
        "\\newcommand{\\x}{\\x}\\x",
        "\\def\\x{\\x\\x}\\x",
    ] {
        let r = bounded(&format!("$${tex}$$\n"), Duration::from_secs(2));
        assert_eq!(r.diagnostics.len(), 1, "{tex}");
        assert!(
            r.diagnostics[0].message.starts_with("unknown command"),
            "{tex}"
        );
    }
}

#[test]
fn many_dollars_and_many_formulas_stay_linear() {
    let cases = [
        "$".repeat(100_000),
        "$$".repeat(50_000),
        "$x$ ".repeat(20_000),
        "$a$b$c$d".repeat(10_000),
        "{$".repeat(20_000) + &"}$".repeat(20_000),
        "\\$".repeat(50_000),
    ];
    for body in &cases {
        bounded(body, Duration::from_secs(10));
    }
}

#[test]
fn many_broken_formulas_on_one_page_stay_bounded() {
    // Suggestions stop after the first few dozen diagnostics; every error is still reported.
    let body = "$\\fracc{a}{b}$ ".repeat(2_000);
    let r = bounded(&body, Duration::from_secs(10));
    assert_eq!(r.diagnostics.len(), 2_000);
    assert_eq!(
        r.diagnostics[0].label.as_deref(),
        Some("did you mean `\\frac`?")
    );
    assert_eq!(
        r.diagnostics[1_999].label.as_deref(),
        Some("unknown command")
    );
}

mod generated {
    //! Formulas made of TeX pieces at random (proptest): whatever math-core makes of them, the
    //! page gets no style attribute and balanced elements, or a located error; never a panic.

    use proptest::prelude::*;

    use super::*;

    const PIECES: &[&str] = &[
        "x",
        "2",
        " ",
        "+",
        "=",
        "'",
        "^",
        "_",
        "{",
        "}",
        "&",
        "\\\\",
        "(",
        ")",
        "|",
        "<",
        "\"",
        "\\frac",
        "\\sqrt",
        "\\hat",
        "\\vec",
        "\\left(",
        "\\right)",
        "\\text{a b}",
        "\\color{red}",
        "\\mathstrut",
        "\\hspace{3pt}",
        "\\begin{aligned}",
        "\\end{aligned}",
        "\\begin{cases}",
        "\\end{cases}",
        "\\begin{array}{|c:l|}",
        "\\end{array}",
        "\\dfrac",
        "\\displaystyle",
        "\\begin{align}",
        "\\end{align}",
        "\\mathbb{R}",
        "\\!",
        "\\textrm{a}",
        "é",
        "\\fracc",
    ];

    fn formula() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(PIECES), 1..24)
            .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn any_formula_is_clean_mathml_or_a_located_error(tex in formula(), display in any::<bool>()) {
            let body = if display { format!("$$\n{tex}\n$$\n") } else { format!("a ${tex}$ b\n") };
            let r = render_body(&body);
            prop_assert!(!r.html.as_str().contains(" style="), "{}", r.html.as_str());
            for name in ["math", "mstyle", "mphantom", "mrow", "mtable", "semantics", "annotation"] {
                prop_assert_eq!(
                    r.html.as_str().matches(&format!("<{name}>")).count() + r.html.as_str().matches(&format!("<{name} ")).count(),
                    r.html.as_str().matches(&format!("</{name}>")).count(),
                    "<{}> in {}", name, r.html.as_str()
                );
            }
            for d in &r.diagnostics {
                prop_assert!(d.location.as_ref().is_some_and(|l| l.line >= 4), "{:?}", d);
            }
        }
    }
}
