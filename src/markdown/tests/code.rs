//! Code blocks: highlighting, plain fallbacks, lazy syntect, custom fences and their offsets.

use super::super::highlight::{SYNTAX_REQUESTS, syntect_loaded};
use super::*;

fn syntax_requests() -> usize {
    SYNTAX_REQUESTS.with(|n| n.get())
}

#[test]
fn known_languages_are_highlighted_with_classes() {
    for token in ["rust", "rs", "py", "sh", "bash", "yaml", "js", "shell"] {
        let r = render_body(&format!("```{token}\nlet x = \"s\"; # c\n```\n"));
        let expected = format!("<pre class=\"code\" tabindex=\"0\" data-lang=\"{token}\"><code>");
        assert!(
            r.html.as_str().starts_with(&expected),
            "{token}: {}",
            r.html.as_str()
        );
        assert!(
            r.html.as_str().contains("<span class=\"h"),
            "{token}: {}",
            r.html.as_str()
        );
        assert!(
            !r.html.as_str().contains("style="),
            "classes, not inline styles"
        );
        assert!(r.html.as_str().ends_with("</code></pre>\n"));
        assert!(r.has_code);
    }
}

#[test]
fn rust_tokens_get_palette_classes_and_neighbours_share_a_span() {
    let r = render_body("```rust,ignore\nfn main() {}\n```\n");
    assert!(
        r.html.as_str().contains("data-lang=\"rust\""),
        "{}",
        r.html.as_str()
    );
    // `fn` is a keyword in both themes, `main` an entity name, the rest plain text (no span).
    assert_eq!(
        r.html.as_str(),
        "<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code>\
         <span class=\"hl2 hlb hd2\">fn</span> <span class=\"hl5 hlb hd4\">main</span>() {}\n\
         </code></pre>\n"
    );
}

#[test]
fn code_text_is_escaped_inside_spans() {
    let r = render_body("```rust\nlet s = \"<b>&</b>\";\n```\n");
    assert!(!r.html.as_str().contains("<b>"), "{}", r.html.as_str());
    assert!(
        r.html.as_str().contains("&lt;b&gt;&amp;&lt;/b&gt;"),
        "{}",
        r.html.as_str()
    );
}

#[test]
fn unknown_or_missing_language_is_plain_and_escaped() {
    let r = render_body("```klingon\n<b>&</b>\n```\n\n```\nx < y\n```\n\n    indented <i>\n");
    assert_eq!(
        r.html.as_str(),
        "<pre class=\"code\" tabindex=\"0\" data-lang=\"klingon\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n\
         <pre class=\"code\" tabindex=\"0\"><code>x &lt; y\n</code></pre>\n\
         <pre class=\"code\" tabindex=\"0\"><code>indented &lt;i&gt;\n</code></pre>\n"
    );
    assert!(r.diagnostics.is_empty());
    assert!(r.has_code);
}

#[test]
fn info_string_is_escaped() {
    let r = render_body("```\"><script>\nx\n```\n");
    assert!(!r.html.as_str().contains("<script>"), "{}", r.html.as_str());
}

#[test]
fn syntect_is_loaded_only_for_code_with_a_language() {
    SYNTAX_REQUESTS.with(|n| n.set(0));
    let r = render_body(
        "# Prose\n\nText with `inline code`.\n\n```\nno language\n```\n\n    indented\n\n\
         ```text\nplain text\n```\n",
    );
    let r2 = render_in(
        "essays",
        "```worksheet\n- id: q\n```\n",
        &Recorder::default(),
    );
    assert!(r.has_code && !r2.has_code);
    assert_eq!(
        syntax_requests(),
        0,
        "no syntax set for pages without highlighted code"
    );
    render_body("```rust\nfn f() {}\n```\n");
    assert!(syntax_requests() > 0);
    assert!(syntect_loaded());
}

#[test]
fn has_code_is_false_for_prose() {
    let r = render_body("Just `inline` text.\n");
    assert!(!r.has_code);
}

#[test]
fn custom_fences_replace_the_block() {
    let fences = Recorder::default();
    let r = render_in(
        "essays",
        "Before\n\n```worksheet\n- id: q\n```\n\nAfter\n",
        &fences,
    );
    assert_eq!(
        r.html.as_str(),
        "<p>Before</p>\n<form class=\"worksheet\"></form>\n<p>After</p>\n"
    );
    assert!(!r.has_code);
    // Ordinary blocks are offered to the handler first and come back as code.
    let r = render_in("essays", "```rust\nfn x() {}\n```\n", &fences);
    assert!(
        r.html.as_str().contains("<span class=\"h"),
        "{}",
        r.html.as_str()
    );
    let infos: Vec<_> = fences
        .calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.0.clone())
        .collect();
    assert_eq!(infos, ["worksheet", "rust"]);
}

#[test]
fn failing_custom_fence_adds_its_diagnostics_and_no_html() {
    let r = render_in(
        "essays",
        "A\n\n```broken\nx\n```\n\nB\n",
        &Recorder::default(),
    );
    assert_eq!(r.html.as_str(), "<p>A</p>\n<p>B</p>\n");
    assert_eq!(messages(&r), ["bad question"]);
}

/// Checks that `code_offset + i` is the file offset of `code[i]` for every byte.
fn assert_offsets_exact(newline: &str) {
    let body = [
        "Prose",
        "",
        "```worksheet",
        "- id: first",
        "  prompt: Ünï?",
        "```",
        "",
    ]
    .join(newline);
    let source = format!("{FRONT}{body}");
    let fences = Recorder::default();
    let r = render_in("essays", &body, &fences);
    assert!(r.diagnostics.is_empty());
    let calls = fences.calls.lock().unwrap();
    let (_, code, offset) = &calls[0];
    assert_eq!(code, &["- id: first", "  prompt: Ünï?", ""].join(newline));
    assert_eq!(&source[*offset..*offset + code.len()], code.as_str());
    let loc = crate::diagnostic::Location::at_offset(
        "a.md",
        &source,
        offset + code.find("prompt").unwrap(),
        6,
    );
    assert_eq!((loc.line, loc.column), (8, 3), "newline {newline:?}");
}

#[test]
fn fence_offsets_are_exact_with_lf() {
    assert_offsets_exact("\n");
}

#[test]
fn fence_offsets_are_exact_with_crlf() {
    assert_offsets_exact("\r\n");
}

#[test]
fn fence_offsets_inside_containers_and_empty_blocks() {
    let fences = Recorder::default();
    let body = "- item\n\n  ```worksheet\n  - id: a\n  ```\n\n```worksheet\n```\n";
    let source = format!("{FRONT}{body}");
    render_in("essays", body, &fences);
    let calls = fences.calls.lock().unwrap();
    // Inside a list the indentation is stripped; the first line still maps exactly.
    let (_, code, offset) = &calls[0];
    assert_eq!(code, "- id: a\n");
    assert!(source[*offset..].starts_with("- id: a"));
    // An empty block points at the line after its opening fence.
    let (_, code, offset) = &calls[1];
    assert_eq!(code, "");
    assert!(
        source[*offset..].starts_with("```\n"),
        "{:?}",
        &source[*offset..]
    );
}

#[test]
fn syntax_css_has_light_and_dark_palettes() {
    let css = syntax_css("InspiredGitHub", "base16-ocean.dark").unwrap();
    let dark = css
        .find("@media (prefers-color-scheme: dark) {")
        .expect("dark block");
    let chosen = css
        .find("/* The dark theme chosen on the page")
        .expect("chosen dark block");
    let (system_block, chosen_block) = (&css[dark..chosen], &css[chosen..]);
    assert!(css[..dark].contains("pre.code { color: #323232;"), "{css}");
    assert!(css[..dark].contains("pre.code .hl0 {") && !css[..dark].contains(".hd0"));
    let system = r#":root:not([data-theme="light"]) "#;
    let picked = r#":root[data-theme="dark"] "#;
    assert!(
        system_block.contains(&format!("{system}pre.code {{ color: #c0c5ce;")),
        "{css}"
    );
    assert!(system_block.contains(&format!("{system}pre.code .hd0 {{")));
    assert!(!system_block.contains(".hl0 {"));
    // In the dark scheme the light classes, still on the spans, are undone first.
    assert!(
        system_block.contains(&format!("{system}pre.code .hl0, {system}pre.code .hl1,")),
        "{css}"
    );
    // A reader's own choice of the dark theme gets the very same rules.
    let rules = |block: &str, scope: &str| -> Vec<String> {
        block
            .lines()
            .filter(|l| l.contains("pre.code"))
            .map(|l| l.replace(scope, ""))
            .collect()
    };
    assert_eq!(rules(system_block, system), rules(chosen_block, picked));
    assert!(css.trim_end().ends_with('}'));
    assert_eq!(css.matches('{').count(), css.matches('}').count());
}

#[test]
fn syntax_css_rejects_unknown_themes_with_the_valid_list() {
    let err = syntax_css("InspiredGithub", "base16-ocean.dark").unwrap_err();
    assert!(
        err.contains("unknown highlight theme `InspiredGithub`"),
        "{err}"
    );
    assert!(err.contains("did you mean `InspiredGitHub`?"), "{err}");
    assert!(
        err.contains("base16-ocean.dark") && err.contains("Solarized (light)"),
        "{err}"
    );
    let err = syntax_css("InspiredGitHub", "nope").unwrap_err();
    assert!(err.contains("`nope`"), "{err}");
}

#[test]
fn theme_names_lists_the_defaults() {
    let names = crate::syntax_themes::THEME_NAMES;
    assert!(names.contains(&"InspiredGitHub"));
    assert!(names.contains(&"base16-ocean.dark"));
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
}

/// Issue #13, found by fuzzing: syntect's Markdown grammar backtracks on nested link
/// brackets, so one 3.8 KB line of `](b[a` took 6.8 s to highlight (a 1 KB line 0.2 s, a
/// 2 KB line 1.2 s). Lines over 1 KB are shown plain.
#[test]
fn a_long_line_that_makes_syntect_backtrack_is_shown_plain_at_once() {
    let line = format!("x{}{}", "](b[a".repeat(700), "`".repeat(300));
    let started = std::time::Instant::now();
    let r = render_body(&format!("```markdown\n{line}\n```\n"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(!r.html.as_str().contains("<span class=\"h"), "shown plain");
    assert!(
        r.html.as_str().contains("](b[a"),
        "{}",
        &r.html.as_str()[..200]
    );
}
