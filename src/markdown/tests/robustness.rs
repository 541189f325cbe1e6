//! Hostile and odd inputs: nothing may panic, and nothing may take quadratic time.

use std::time::{Duration, Instant};

use super::*;

fn render_raw(source: &str, body_offset: usize) -> Rendered {
    render(&MarkdownInput {
        file: Path::new("content/x.md"),
        source,
        body_offset,
        page_dir: "",
        page_path: "/a/",
        links: &Site,
        fences: &NoFences,
        components: &crate::markdown::NoComponents,
        highlighting: super::highlighting(),
    })
}

#[test]
fn odd_inputs_do_not_panic() {
    let long_line = "word ".repeat(200_000);
    let cases = [
        String::new(),
        "\n\n\n".to_string(),
        "\r\n# T\r\n\r\ntext\r\n".to_string(),
        ">".repeat(50_000),
        "- ".repeat(20_000),
        "[".repeat(50_000),
        "*".repeat(50_000),
        "_a ".repeat(30_000),
        "[^x]".repeat(10_000) + "\n\n[^x]: y\n",
        "<!--".repeat(10_000),
        "# {#}\n## {#a}\n## {#a}\n###### ######\n".to_string(),
        "[x](%zz.md) [y](%C3%28.md) [z](....md) [w](/..md) [v](../)".to_string(),
        "```\u{0}\n\u{0}\n```\n".to_string(),
        "```rust\n".to_string() + &"a".repeat(100_000) + "\n```\n",
        long_line.clone(),
        format!("| a |\n|---|\n{}", "| x |\n".repeat(10_000)),
        "ü\u{200b}\u{feff}🙂".to_string(),
    ];
    for case in &cases {
        let r = render_raw(case, 0);
        // Output grows linearly (a footnote reference with its back link is the worst case).
        let head: String = case.chars().take(20).collect();
        assert!(
            r.html.as_str().len() < case.len() * 60 + 1000,
            "{head:?}: {}",
            r.html.as_str().len()
        );
    }
}

#[test]
fn bad_body_offsets_are_clamped() {
    render_raw("abc", 99);
    render_raw("üx", 1);
    let r = render_raw("---\nt: 1\n---\n# Hi\n", 13);
    assert_eq!(r.heading_ids, ["hi"]);
}

#[test]
fn deep_nesting_is_fine() {
    let quotes = "> ".repeat(5_000) + "deep";
    let r = render_raw(&quotes, 0);
    assert!(r.html.as_str().contains("deep"));
    let lists: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    render_raw(&lists, 0);
}

#[test]
fn many_links_headings_and_errors_stay_fast() {
    // Each of these records a location; they must not rescan the file from the start.
    let mut body = String::new();
    for i in 0..20_000 {
        body.push_str(&format!(
            "## Same\n\n[a](foo.md#y{i}) [b](#x{i}) [c](missing.md)\n\n"
        ));
    }
    let start = Instant::now();
    let r = render_in("essays", &body, &NoFences);
    let elapsed = start.elapsed();
    assert_eq!(r.links.len(), 40_000);
    assert_eq!(r.diagnostics.len(), 20_000);
    assert_eq!(r.heading_ids.last().map(String::as_str), Some("same-19999"));
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn render_is_usable_from_many_threads() {
    let fences = Recorder::default();
    std::thread::scope(|s| {
        for i in 0..8 {
            let fences = &fences;
            s.spawn(move || {
                let r = render_in(
                    "essays",
                    &format!("# T{i}\n\n```py\nx = {i}\n```\n"),
                    fences,
                );
                assert!(
                    r.html.as_str().contains("<span class=\"h"),
                    "{}",
                    r.html.as_str()
                );
            });
        }
    });
}
