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
    fn finds_ids_in_raw_html() {
        let mut ids = Vec::new();
        raw_html_ids(
            r#"<a id="faq"></a><div class="x" id='b'><span id=c>x</span><p data-id="no" id=""#,
            |id| ids.push(id.to_string()),
        );
        assert_eq!(ids, ["faq", "b", "c"]);
    }
}
