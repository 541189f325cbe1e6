//! The default theme never hard-codes a path (DESIGN.md section 8, themes/default/CONTEXT.md).
//!
//! A site published at `https://user.github.io/repo/` lives under `/repo/`: a template
//! that writes `href="/tags/"` links out of the site, and one that writes `href="tags/"`
//! breaks on every page but the home page (and on the 404 page, which is served at any
//! depth). Every path in a template must come from `url()`, `asset()` or a `url` field of
//! the context. This test reads every template of the default theme and fails on a
//! literal path in a URL attribute (`href`, `src`, `srcset`, `action`, `poster`, ...), in
//! a refresh `content="0; url=..."`, or in a CSS `url()` / `@import`; and the theme's
//! stylesheets for root-relative `url(/...)`.
//!
//! Tera tags are opaque here: `href="{{ url(path="/tags/") }}"` is fine whatever the
//! quotes inside it, and `{# ... #}` comments are ignored.

use std::fs;
use std::path::{Path, PathBuf};

/// Stands for a `{{ ... }}` or `{% ... %}` tag: a computed value.
const TAG: char = '\u{1}';

/// Attributes whose value is a URL the browser fetches or navigates to.
const URL_ATTRIBUTES: [&str; 11] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "manifest",
    "ping",
    "xlink:href",
];
const SRCSET_ATTRIBUTES: [&str; 2] = ["srcset", "imagesrcset"];

fn theme_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

fn files_under(dir: &Path, extension: &str, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, extension, into);
        } else if path.extension().is_some_and(|e| e == extension) {
            into.push(path);
        }
    }
    into.sort();
}

/// The template's text with every Tera tag replaced by [`TAG`] and every comment by
/// nothing, keeping line breaks so that line numbers still match the file.
fn literal_text(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let close = match from.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                out.push('{');
                rest = &from[1..];
                continue;
            }
        };
        let end = from[2..]
            .find(close)
            .map_or(from.len(), |e| e + 2 + close.len());
        let tag = &from[..end];
        if close != "#}" {
            out.push(TAG);
        }
        out.extend(std::iter::repeat_n('\n', tag.matches('\n').count()));
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// Why a literal URL value breaks under a base path, if it does.
fn literal_path_problem(value: &str) -> Option<&'static str> {
    let value = value.trim();
    let scheme = value.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    // Computed, a fragment, an absolute URL, or another host (`//cdn.example/...`).
    let fine = value.is_empty()
        || value.starts_with(TAG)
        || value.starts_with('#')
        || value.starts_with("//")
        || scheme;
    if fine {
        None
    } else if value.starts_with('/') {
        Some("a root-relative path ignores the base path")
    } else {
        Some("a relative path breaks on pages at another depth")
    }
}

/// `url(...)` and `@import "..."` targets in CSS text, with their byte offsets.
fn css_urls(css: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in css.match_indices("url(") {
        let rest = &css[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        found.push((at, rest[..end].trim().trim_matches(['"', '\'']).to_string()));
    }
    for (at, _) in css.match_indices("@import") {
        let rest = css[at + 7..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(quote)
        {
            found.push((at, rest[1..1 + end].to_string()));
        }
    }
    found
}

/// Every hard-coded path in a template's text: `(line, message)`.
fn hard_coded_paths(template: &str) -> Vec<(usize, String)> {
    let text = literal_text(template);
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let mut report = |at: usize, what: String, value: &str| {
        if let Some(why) = literal_path_problem(value) {
            problems.push((
                line_of(at),
                format!("{what}: {why}; use url(path=...) or asset(path=...)"),
            ));
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(lt) = text[i..].find('<') {
        i += lt + 1;
        let name_len = text[i..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .unwrap_or(text.len() - i);
        if name_len == 0 {
            continue; // `</x>`, `<!doctype>`, `<!--`, a lone `<`
        }
        let tag_name = text[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attributes: Vec<(usize, String, String)> = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let at = i;
            let key_len = text[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .unwrap_or(text.len() - i)
                .max(1);
            let key = text[i..i + key_len].to_ascii_lowercase();
            i += key_len;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                if let Some(quote) = bytes.get(i).copied().filter(|b| *b == b'"' || *b == b'\'') {
                    let end = text[i + 1..]
                        .find(quote as char)
                        .map_or(text.len(), |e| i + 1 + e);
                    value = text[i + 1..end].to_string();
                    i = (end + 1).min(text.len());
                } else {
                    let end = text[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(text.len(), |e| i + e);
                    value = text[i..end].to_string();
                    i = end;
                }
            }
            attributes.push((at, key, value));
        }
        for (at, key, value) in &attributes {
            let what = format!("<{tag_name} {key}=\"{}\">", value.replace(TAG, "{{…}}"));
            if URL_ATTRIBUTES.contains(&key.as_str()) {
                report(*at, what, value);
            } else if SRCSET_ATTRIBUTES.contains(&key.as_str()) {
                for candidate in value.split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or_default();
                    report(*at, what.clone(), url);
                }
            } else if key == "content" {
                let lower = value.to_ascii_lowercase();
                if let Some(url_at) = lower.find("url=") {
                    report(*at, what, value[url_at + 4..].trim_matches(['\'', '"']));
                }
            }
        }
    }
    // CSS anywhere in the template: `<style>` elements and `style=""` attributes.
    for (at, url) in css_urls(&text) {
        report(at, format!("CSS url({url})"), &url);
    }
    problems
}

#[test]
fn no_template_of_the_default_theme_hard_codes_a_path() {
    let mut templates = Vec::new();
    files_under(&theme_dir().join("templates"), "html", &mut templates);
    assert!(
        templates.len() >= 10,
        "found only {} templates under {}",
        templates.len(),
        theme_dir().display()
    );
    let mut problems = Vec::new();
    for path in &templates {
        let text = fs::read_to_string(path).unwrap();
        let rel = path
            .strip_prefix(theme_dir())
            .unwrap()
            .display()
            .to_string();
        for (line, message) in hard_coded_paths(&text) {
            problems.push(format!("themes/default/{rel}:{line}: {message}"));
        }
    }
    assert!(
        problems.is_empty(),
        "hard-coded paths break sites served under a base path (GitHub project pages):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_themes_stylesheets_use_no_root_relative_url() {
    // In a stylesheet a relative url() is right (it resolves against the stylesheet,
    // which sits under the base path); a root-relative one is not.
    let mut sheets = Vec::new();
    files_under(&theme_dir().join("static"), "css", &mut sheets);
    assert!(!sheets.is_empty(), "no stylesheets in the theme");
    let mut problems = Vec::new();
    for path in &sheets {
        let css = fs::read_to_string(path).unwrap();
        for (at, url) in css_urls(&css) {
            if url.starts_with('/') && !url.starts_with("//") {
                let line = css[..at].matches('\n').count() + 1;
                problems.push(format!("{}:{line}: url({url})", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_catches_hard_coded_paths() {
    let bad = [
        r#"<a href="/tags/">Tags</a>"#,
        r#"<a href='/tags/'>Tags</a>"#,
        "<a href=/tags/>Tags</a>",
        r#"<a class="x" href="tags/">Tags</a>"#,
        r#"<link rel="stylesheet" href="/style.css">"#,
        r#"<script src="/worksheet.js" defer></script>"#,
        r#"<img src="{{ asset(path="a.png") }}" srcset="{{ asset(path="a.png") }} 1x, /b.png 2x">"#,
        r#"<form action="/search/"></form>"#,
        r#"<meta http-equiv="refresh" content="0; url=/essays/">"#,
        r#"<div style="background: url(/img/bg.png)"></div>"#,
        "<style>\n@import \"/print.css\";\n</style>",
        "{% if x %}\n<a href=\"/about/\">About</a>\n{% endif %}",
    ];
    for template in bad {
        assert!(
            !hard_coded_paths(template).is_empty(),
            "not caught: {template}"
        );
    }
    let good = [
        r#"<a href="{{ url(path="/tags/") }}">Tags</a>"#,
        r#"<a href="{{ item.url }}"{% if item.url == here %} aria-current="page"{% endif %}>x</a>"#,
        r#"<link rel="stylesheet" href="{{ asset(path="style.css") }}">"#,
        r##"<a class="skip-link" href="#main">Skip</a>"##,
        r#"<a href="https://example.org/">x</a> <a href="mailto:a@b.c">m</a>"#,
        r#"<meta http-equiv="refresh" content="0; url={{ target }}">"#,
        r#"{# <a href="/old/">an old link, commented out</a> #}"#,
        r#"<p>Write <code>href="/x"</code> never.</p>"#,
    ];
    for template in good {
        assert_eq!(
            hard_coded_paths(template),
            Vec::<(usize, String)>::new(),
            "flagged: {template}"
        );
    }
    // Line numbers survive multi-line Tera tags.
    let problems = hard_coded_paths("{% set a = 1\n   %}\n<a href=\"/x/\">x</a>");
    assert_eq!(problems[0].0, 3, "{problems:?}");
}
