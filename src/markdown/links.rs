//! Link destinations: which ones point into the site, and where they lead.
//!
//! Authors link to the Markdown file (`../essays/foo.md#bar`) so links work on GitHub too;
//! the site needs the page URL instead. Resolution here is purely textual and never touches
//! the file system: the [`LinkResolver`](super::LinkResolver) knows which pages exist.

use std::borrow::Cow;

/// What a link destination means to the site.
#[derive(Debug, PartialEq)]
pub(super) enum Dest {
    /// Absolute URL, site-absolute path, or bare `#`: left untouched.
    External,
    /// `#frag` on this page (decoded, non-empty).
    SamePage(String),
    /// A relative path to another file (decoded, without query or fragment).
    File(String),
    /// A relative `.md` file (decoded path as written) with an optional decoded fragment.
    Page {
        path: String,
        fragment: Option<String>,
    },
}

/// Classifies a destination as written by the author.
pub(super) fn classify(dest: &str) -> Dest {
    if let Some(fragment) = dest.strip_prefix('#') {
        return match fragment {
            "" => Dest::External,
            f => Dest::SamePage(percent_decode(f).into_owned()),
        };
    }
    if dest.is_empty() || dest.starts_with(['/', '?', '\\']) || has_scheme(dest) {
        return Dest::External;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = before_fragment.split('?').next().unwrap_or_default();
    let path = percent_decode(path);
    if !path.ends_with(".md") {
        return if path.is_empty() {
            Dest::External
        } else {
            Dest::File(path.into_owned())
        };
    }
    Dest::Page {
        path: path.into_owned(),
        fragment: fragment
            .filter(|f| !f.is_empty())
            .map(|f| percent_decode(f).into_owned()),
    }
}

/// `scheme:` as in RFC 3986 (`https:`, `mailto:`, `tel:`…).
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The scheme of a destination that runs script or smuggles a document when followed:
/// `javascript:`, `vbscript:` or `data:`, read as a browser reads it (leading controls and
/// spaces dropped, tabs and newlines anywhere ignored, any case). `data:` images are
/// allowed (`image` true): a small inline picture is an ordinary thing to write.
pub(super) fn unsafe_scheme(dest: &str, image: bool) -> Option<&'static str> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = cleaned.split_once(':')?.0;
    match scheme {
        "javascript" => Some("javascript"),
        "vbscript" => Some("vbscript"),
        "data"
            if image
                && cleaned.starts_with("data:image/")
                && !cleaned.starts_with("data:image/svg") =>
        {
            None
        }
        "data" => Some("data"),
        _ => None,
    }
}

/// Every `href`, `src`, `action`, `formaction` or `xlink:href` value in a piece of raw
/// HTML, with its byte offset in `html` (a plain scan: enough to warn about a script URL).
pub(super) fn raw_html_urls(html: &str) -> Vec<(usize, &str)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for attr in ["href", "src", "action", "formaction"] {
        for (at, _) in lower.match_indices(attr) {
            let before = lower[..at].chars().next_back();
            if !before.is_some_and(|c| c.is_ascii_whitespace() || c == ':') {
                continue;
            }
            let rest = &html[at + attr.len()..];
            let trimmed = rest.trim_start();
            let Some(value) = trimmed.strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start();
            let start = html.len() - value.len();
            let (start, text) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &value[1..];
                    (start + 1, inner.split(q).next().unwrap_or(inner))
                }
                _ => (
                    start,
                    value
                        .split(|c: char| c.is_ascii_whitespace() || c == '>')
                        .next()
                        .unwrap_or(value),
                ),
            };
            found.push((start, text));
        }
    }
    found.sort_by_key(|&(at, _)| at);
    found
}

/// Joins a relative path onto the page's folder, resolving `.` and `..`.
/// `None` when the path climbs out of the content folder.
pub(super) fn resolve(page_dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes; the input is returned unchanged when the result would not be UTF-8.
pub(super) fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(s),
    }
}

/// Calls `found` with every `id="…"` value in a piece of raw HTML, so hand-written anchors
/// (`<a id="faq"></a>`) count as link targets too.
pub(super) fn raw_html_ids(html: &str, mut found: impl FnMut(&str)) {
    for (at, _) in html.match_indices("id=") {
        let preceded_by_space = at
            .checked_sub(1)
            .is_some_and(|i| html.as_bytes()[i].is_ascii_whitespace());
        if !preceded_by_space {
            continue;
        }
        let rest = &html[at + 3..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().filter(|_| rest[1..].contains(q)),
            Some(_) => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next(),
            None => None,
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            found(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, fragment: Option<&str>) -> Dest {
        Dest::Page {
            path: path.into(),
            fragment: fragment.map(Into::into),
        }
    }

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://x.y/a.md"), Dest::External);
        assert_eq!(classify("mailto:a@b.c"), Dest::External);
        assert_eq!(classify("/essays/foo.md"), Dest::External);
        assert_eq!(classify("//cdn.example/x.md"), Dest::External);
        assert_eq!(classify("../img/a.png"), Dest::File("../img/a.png".into()));
        assert_eq!(classify("#"), Dest::External);
        assert_eq!(classify(""), Dest::External);
        assert_eq!(classify("#caf%C3%A9"), Dest::SamePage("café".into()));
        assert_eq!(classify("foo.md"), page("foo.md", None));
        assert_eq!(classify("../a/b.md#x"), page("../a/b.md", Some("x")));
        assert_eq!(classify("b.md#"), page("b.md", None));
        assert_eq!(
            classify("my%20notes.md?v=1#y"),
            page("my notes.md", Some("y"))
        );
        assert_eq!(classify("c:foo.md"), Dest::External);
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("essays", "foo.md").as_deref(),
            Some("essays/foo.md")
        );
        assert_eq!(
            resolve("essays", "./foo.md").as_deref(),
            Some("essays/foo.md")
        );
        assert_eq!(
            resolve("essays/deep", "../../x.md").as_deref(),
            Some("x.md")
        );
        assert_eq!(resolve("", "a//./b.md").as_deref(), Some("a/b.md"));
        assert_eq!(resolve("essays", "../../x.md"), None);
        assert_eq!(resolve("", "../x.md"), None);
    }

    #[test]
    fn percent_decoding_is_safe() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "%FF");
    }

    #[test]
    fn script_schemes_are_found_as_browsers_read_them() {
        for dest in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}java\tscript:alert(1)",
            "java\nscript:x",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
        ] {
            assert!(unsafe_scheme(dest, false).is_some(), "{dest:?}");
        }
        assert_eq!(unsafe_scheme("data:image/png;base64,AAAA", true), None);
        assert_eq!(
            unsafe_scheme("data:image/svg+xml,<svg onload=x>", true),
            Some("data")
        );
        assert_eq!(
            unsafe_scheme("data:image/png;base64,AAAA", false),
            Some("data")
        );
        for dest in [
            "https://x.org/javascript:",
            "notes/javascript.md",
            "#javascript:",
            "mailto:a@b",
        ] {
            assert_eq!(unsafe_scheme(dest, false), None, "{dest:?}");
        }
    }

    #[test]
    fn finds_urls_in_raw_html() {
        let html = r#"<a class=x HREF = "javascript:go()">x</a><img src=pic.png alt="src=no"><form action='/a'>"#;
        let urls: Vec<&str> = raw_html_urls(html).into_iter().map(|(_, u)| u).collect();
        assert_eq!(urls, ["javascript:go()", "pic.png", "/a"]);
        let (at, url) = raw_html_urls(html)[0];
        assert_eq!(&html[at..at + url.len()], url);
    }

    #[test]
    fn finds_ids_in_raw_html() {
        let mut ids = Vec::new();
        raw_html_ids(
            r#"<a id="faq"></a><div class="x" id='b'><span id=c>x</span><p data-id="no" id=""#,
            |id| ids.push(id.to_string()),
        );
        assert_eq!(ids, ["faq", "b", "c"]);
    }
}
