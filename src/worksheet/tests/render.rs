//! The HTML and JSON contract with `worksheet.js`, escaping, and the structure hash.

use std::collections::HashMap;

use super::bands::definition;
use super::parsing::ALL_TYPES;
use super::*;

/// Snapshot files named without the crate and module path, so they survive the module being
/// moved between crates.
fn snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, value));
}

fn all_types_page() -> String {
    page(
        TOP,
        &format!(
            "Some **prose** first.\n\n```worksheet\n{ALL_TYPES}```\n\n## Then more\n\nText.\n"
        ),
    )
}

#[test]
fn form_html() {
    let (html, _) = ok(&all_types_page());
    snapshot("worksheet_form_html", &html);
}

#[test]
fn definition_json() {
    let (html, w) = ok(&all_types_page());
    let json = definition(&html);
    assert_eq!(json["hash"], w.hash.as_str());
    let start = html.find("id=\"ws-definition\">").unwrap() + "id=\"ws-definition\">".len();
    let raw = &html[start..start + html[start..].find("</script>").unwrap()];
    snapshot("worksheet_definition_json", &indent_json(raw));
}

/// Indents JSON for reading, keeping its key order (the contract's order).
fn indent_json(json: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    for c in json.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                depth += 1;
                out.push(c);
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if out.trim_end().ends_with(['{', '[']) {
                    out.truncate(out.trim_end().len());
                } else {
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn bands_definition_has_ranges() {
    let header = bands_header(
        "      - { max: 1, title: Low, body: Few. }\n      - { key: top, max: 3, title: High, body: Many. }\n",
    );
    let yaml = "- id: q\n  type: scale\n  prompt: P\n  scale: { min: 0, max: 3 }\n  score: 1\n";
    let (html, _) = ok(&block_page(&header, yaml));
    let json = definition(&html);
    assert_eq!(json["by"], "bands");
    assert_eq!(
        json["results"],
        serde_json::json!([
            { "key": "low", "title": "Low", "url": "/base/worksheets/quiz/result/low/", "min": 0, "max": 1 },
            { "key": "top", "title": "High", "url": "/base/worksheets/quiz/result/top/", "min": 2, "max": 3 },
        ])
    );
    assert_eq!(
        json["questions"][0],
        serde_json::json!({ "id": "q", "type": "scale", "share": true, "min": 0, "max": 3, "score": 1 })
    );
}

/// Every `id="..."` of the output is unique and every `for="..."` names one of them.
#[test]
fn ids_are_unique_and_labels_match() {
    let (html, _) = ok(&all_types_page());
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for part in html.split(" id=\"").skip(1) {
        *ids.entry(part.split('"').next().unwrap()).or_default() += 1;
    }
    let repeated: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "{repeated:?}");
    for part in html.split(" for=\"").skip(1) {
        let target = part.split('"').next().unwrap();
        assert!(
            ids.contains_key(target),
            "label for `{target}` has no input"
        );
    }
    for part in html.split("aria-labelledby=\"").skip(1) {
        let target = part.split('"').next().unwrap();
        assert!(
            ids.contains_key(target),
            "aria-labelledby `{target}` names nothing"
        );
    }
}

#[test]
fn hostile_text_is_escaped() {
    let front = "worksheet:\n  id: x\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a:\n        title: \"</script><script>alert(1)</script>\"\n        body: \"<img src=x onerror=alert(1)> <!-- \"\n      b: { title: '\"onmouseover=\"alert(1)', body: ok }\n";
    let yaml = "- id: q\n  type: single\n  prompt: \"<b onclick=alert(1)>Hi</b> </legend>\"\n  options:\n    - { id: a, label: \"<script>alert(1)</script>\", score: { a: 1 } }\n    - { id: b, label: '\"onmouseover=\"alert(1)', score: { b: 1 } }\n  correct: a\n  explain: \"</div><script>x</script>\"\n- id: r\n  type: rank\n  prompt: R\n  options:\n    - { id: a, label: '\" autofocus onfocus=\"x' }\n- id: s\n  type: scale\n  prompt: S\n  scale: { min: 1, max: 2, min_label: '\"><script>', max_label: \"</span>\" }\n";
    let (html, w) = ok(&block_page(front, yaml));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the definition: {html}"
    );
    let markup = &html[..html.find("<script").unwrap()];
    assert_eq!(html.matches("</script>").count(), 1, "{html}");
    assert!(!markup.contains("\"onmouseover"), "{html}");
    assert!(!markup.contains("\" autofocus"), "{html}");
    assert!(!markup.contains("<b onclick"), "{html}");
    assert!(!markup.contains("<img"), "{html}");
    assert!(!markup.contains("</legend> "), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("aria-label=\"Move &quot; autofocus onfocus=&quot;x up\""));
    let json = definition(&html);
    assert_eq!(
        json["results"][0]["title"], "</script><script>alert(1)</script>",
        "JSON keeps the text"
    );
    assert_eq!(w.results[0].title, "</script><script>alert(1)</script>");
    assert!(!w.results[0].body_html.contains("<img"));
    assert_eq!(
        w.results[0].description, "<img src=x onerror=alert(1)> <!–",
        "plain text, as the body shows it; templates escape it"
    );
}

#[test]
fn definition_never_closes_its_script() {
    let front = "worksheet:\n  id: x\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: { title: \"</SCRIPT x <!-- <script\", body: b }\n";
    let (html, _) = ok(&block_page(front, "- { id: q, type: text, prompt: P }\n"));
    let start = html.find("id=\"ws-definition\">").unwrap();
    let script = &html[start..html.rfind("</script>").unwrap()];
    assert!(!script.to_lowercase().contains("</script"), "{script}");
    assert!(!script.contains('<'), "{script}");
    assert!(
        script.contains("\\u003c/SCRIPT x \\u003c!– \\u003cscript"), // `--`: smart punctuation
        "{script}"
    );
}

#[test]
fn share_false_is_marked() {
    let yaml = "- { id: secret, type: textarea, prompt: Private?, share: false }\n- { id: open, type: text, prompt: Public? }\n";
    let (html, _) = ok(&block_page(TOP, yaml));
    assert!(html.contains("<fieldset class=\"ws-q\" id=\"q-secret\" data-q=\"secret\" data-type=\"textarea\" data-share=\"false\">"));
    assert!(
        html.contains("<fieldset class=\"ws-q\" id=\"q-open\" data-q=\"open\" data-type=\"text\">")
    );
    assert_eq!(
        html.matches("<p class=\"ws-private\">Private: not included in shared links.</p>")
            .count(),
        1
    );
    let json = definition(&html);
    assert_eq!(json["questions"][0]["share"], false);
    assert_eq!(json["questions"][1]["share"], true);
}

#[test]
fn hash_is_stable_and_follows_structure() {
    let (_, w) = ok(&all_types_page());
    assert_eq!(
        crate::worksheet::hash::canonical(&[]),
        "",
        "canonical text of no questions"
    );
    let pinned = w.hash.clone();
    assert_eq!(pinned.len(), 8);
    assert!(pinned.bytes().all(|b| b.is_ascii_hexdigit()));
    // Labels, prompts, scores, limits and share do not change the structure.
    let cosmetic = all_types_page()
        .replace("label: A,", "label: Apple,")
        .replace("Pick some", "Choose")
        .replace("net: 2.5", "net: 7")
        .replace("max_length: 500", "max_length: 400")
        .replace("share: false", "share: true");
    assert_eq!(ok(&cosmetic).1.hash, pinned);
    // An option id, a question id, a type or the order does.
    let renamed = all_types_page().replace("{ id: r,", "{ id: rr,");
    assert_ne!(ok(&renamed).1.hash, pinned);
    let retyped = all_types_page().replace("type: text\n", "type: textarea\n");
    assert_ne!(ok(&retyped).1.hash, pinned);
    let requestioned = all_types_page().replace("id: name", "id: full-name");
    assert_ne!(ok(&requestioned).1.hash, pinned);
    // The value itself is part of the contract with old share links.
    assert_eq!(pinned, blake3::hash(b"one:single:a,b;many:multi:x,y,z;feel:scale:;count:number:;name:text:;why:textarea:;order:rank:p,q;todo:checklist:r,s;").to_hex()[..8]);
}

#[test]
fn element_id_clashes_are_errors() {
    let yaml = "- { id: a, type: single, prompt: P, options: [{ id: b-c, label: X }] }\n- { id: a-b, type: single, prompt: Q, options: [{ id: c, label: Y }] }\n";
    one_error(
        &block_page(TOP, yaml),
        17,
        9,
        "the HTML id `ws-a-b-c` of question `a-b` is also used by question `a`",
    );
    let yaml = "- { id: x, type: text, prompt: P }\n- { id: x-prompt, type: text, prompt: Q }\n";
    one_error(&block_page(TOP, yaml), 17, 9, "the HTML id `q-x-prompt`");
    // A heading whose id the form needs.
    let source = page(
        TOP,
        "## Worksheet\n\n```worksheet\n- { id: q, type: text, prompt: P }\n```\n",
    );
    let html_with_ids = source.replace("## Worksheet", "<h2 id=\"worksheet\">Worksheet</h2>");
    one_error(
        &html_with_ids,
        3,
        1,
        "the page has an element with the id `worksheet`",
    );
    let source = page(
        TOP,
        "<h2 id=\"q-q\">Q</h2>\n\n```worksheet\n- { id: q, type: text, prompt: P }\n```\n",
    );
    one_error(
        &source,
        16,
        9,
        "the HTML id `q-q` of question `q` is also used elsewhere on the page",
    );
}

#[test]
fn no_questions_is_an_error() {
    one_error(
        &page(TOP, "Just prose.\n"),
        3,
        1,
        "this worksheet has no questions",
    );
}

#[test]
fn prose_and_blocks_keep_their_order() {
    let source = page(
        TOP,
        "First.\n\n```worksheet\n- { id: a, type: text, prompt: A }\n```\n\nMiddle.\n\n```worksheet\nid: b\ntype: text\nprompt: B\n```\n\nLast.\n",
    );
    let (html, w) = ok(&source);
    assert_eq!(w.questions, 2);
    let order: Vec<usize> = ["First.", "q-a\"", "Middle.", "q-b\"", "Last.", "ws-result"]
        .iter()
        .map(|s| html.find(s).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{html}");
}

/// With `WS_HTML_DIR` set, writes rendered fixtures there as whole pages, to run the Nu HTML
/// Checker on (`java -jar vnu.jar DIR/*.html`).
#[test]
fn pages_for_the_html_checker() {
    let Some(dir) = std::env::var_os("WS_HTML_DIR") else {
        return;
    };
    let bands = bands_header(
        "      - { max: 1, title: \"Low <b>\", body: \"# Heading\\n\\n- list\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |\" }\n      - { max: 40, title: High, body: Many. }\n",
    );
    let fixtures = [
        ("all-types", all_types_page()),
        (
            "bands",
            block_page(
                &bands,
                &format!(
                    "{}- {{ id: n, type: number, prompt: \"A [link](https://example.org) and ![img](x.png)\", min: 0, max: 9, score: 1 }}\n",
                    ALL_TYPES
                        .replace("{ dm: 1 }", "1")
                        .replace("{ net: 2.5, dm: -1 }", "2")
                        .replace("{ algo: 1 }", "1")
                        .replace("{ dm: -1 }", "1")
                        .replace("max: 10.5\n  step: 0.5", "max: 10")
                ),
            ),
        ),
    ];
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/site/content/worksheets");
    let site_pages = ["todays-priority", "network-health"].map(|name| {
        (
            name,
            std::fs::read_to_string(site.join(format!("{name}.md"))).unwrap(),
        )
    });
    for (name, source) in fixtures.into_iter().chain(site_pages) {
        let (html, _) = ok(&source);
        // As a theme would wrap it: the script and styles from `/theme/`, under a strict CSP.
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\"><title>{name}</title><link rel=\"stylesheet\" href=\"/theme/style.css\"><script src=\"/theme/worksheet.js\" defer></script></head><body><main><h1>{name}</h1>\n{html}</main></body></html>\n"
        );
        std::fs::write(Path::new(&dir).join(format!("{name}.html")), page).unwrap();
    }
}

#[test]
fn number_questions_state_their_range_in_words() {
    let yaml = "- { id: a, type: number, prompt: A, min: 0, max: 100, step: 1 }\n- { id: b, type: number, prompt: B, min: 1 }\n- { id: c, type: number, prompt: C, max: 9.5, step: 0.5 }\n- { id: d, type: number, prompt: D }\n";
    let (html, _) = ok(&block_page(TOP, yaml));
    for (id, words) in [
        ("a", "A whole number from 0 to 100."),
        ("b", "A number of at least 1."),
        ("c", "A number of at most 9.5, in steps of 0.5."),
    ] {
        assert!(
            html.contains(&format!(
                "aria-describedby=\"q-{id}-hint\">\n<p class=\"ws-hint\" id=\"q-{id}-hint\">{words}</p>"
            )),
            "{id}: {html}"
        );
    }
    assert!(!html.contains("q-d-hint"), "no range, no hint: {html}");
}

/// The result pages ask the first question with the very markup the form has, and carry the
/// same definition, so worksheet.js treats an answer given there like one given on the page.
#[test]
fn teaser_is_the_forms_first_fieldset_and_definition() {
    let (html, w) = ok(&all_types_page());
    let teaser = w.teaser.expect("a worksheet with questions has a teaser");
    assert!(teaser.fieldset_html.starts_with("<fieldset class=\"ws-q\""));
    assert_eq!(teaser.fieldset_html.matches("<fieldset").count(), 1);
    let first = html.find("<fieldset").unwrap();
    assert_eq!(html.find(&teaser.fieldset_html), Some(first), "{html}");
    assert!(html.contains(&format!(
        "<script type=\"application/json\" id=\"ws-definition\">{}</script>",
        teaser.definition_json
    )));
}
