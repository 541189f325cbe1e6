//! Link destinations: which ones point into the site, and where they lead.
//!
//! Authors link to the Markdown file (`../essays/foo.md#bar`) so links work on GitHub too;
//! the site needs the page URL instead. Resolution here is purely textual and never touches
//! the file system: the [`LinkResolver`](super::LinkResolver) knows which pages exist.

use std::borrow::Cow;

/// What a link destination means to the site.
#[derive(Debug, PartialEq)]
pub(super) enum Dest {
    /// Absolute URL, `//host/…`, `?query` alone, or bare `#`: left untouched.
    External,
    /// `#frag` on this page (decoded, non-empty).
    SamePage(String),
    /// A path inside the site (decoded, without query or fragment) with an optional decoded
    /// fragment; `from_root` when written `/…`. Resolved by [`Place`](super::local::Place).
    Local {
        path: String,
        fragment: Option<String>,
        from_root: bool,
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
    if dest.is_empty()
        || dest.starts_with(['?', '\\'])
        || dest.starts_with("//")
        || has_scheme(dest)
    {
        return Dest::External;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = before_fragment.split('?').next().unwrap_or_default();
    let (path, from_root) = match path.strip_prefix('/') {
        Some(rest) => (rest, true),
        None => (path, false),
    };
    if path.is_empty() && !from_root {
        // `?x` after a `#`-less empty path was caught above; `#` alone too.
        return Dest::External;
    }
    Dest::Local {
        path: percent_decode(path).into_owned(),
        fragment: fragment
            .filter(|f| !f.is_empty())
            .map(|f| percent_decode(f).into_owned()),
        from_root,
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

/// An attribute that holds a URL, in a start tag of a piece of raw HTML.
#[derive(Debug, PartialEq)]
pub(super) struct RawAttr<'h> {
    /// Lower-case: `href`, `src`, `srcset`, `poster`, `action` or `formaction`.
    pub name: &'static str,
    /// Byte offset of the value in the HTML.
    pub at: usize,
    /// The value as written (quotes removed).
    pub value: &'h str,
}

impl RawAttr<'_> {
    /// The URLs in the value with their offsets in it: the value itself, or for `srcset`
    /// each candidate's URL (`a.png 1x, b.png 2x`).
    pub(super) fn urls(&self) -> Vec<(usize, &str)> {
        if self.name != "srcset" {
            return vec![(0, self.value)];
        }
        let mut urls = Vec::new();
        let mut offset = 0;
        for candidate in self.value.split(',') {
            let lead = candidate.len() - candidate.trim_start().len();
            let url = candidate.trim_start().split_ascii_whitespace().next();
            if let Some(url) = url.filter(|u| !u.is_empty()) {
                urls.push((offset + lead, url));
            }
            offset += candidate.len() + 1;
        }
        urls
    }
}

const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "srcset", "poster", "action", "formaction"];

/// The URL attributes of every start tag in a piece of raw HTML, read as a browser reads a
/// tag (quoted and unquoted values, any case, comments skipped), so text that merely
/// mentions `src=` is never taken for one. A tag cut off by the end of `html` is read as
/// far as it goes.
pub(super) fn raw_html_attrs(html: &str) -> Vec<RawAttr<'_>> {
    let mut found = Vec::new();
    for_each_attribute(html, |_tag, name, at, value| {
        if let Some(known) = URL_ATTRIBUTES
            .iter()
            .find(|known| known.eq_ignore_ascii_case(name))
        {
            found.push(RawAttr {
                name: known,
                at,
                value,
            });
        }
    });
    found
}

/// Calls `found` with the fragment targets a piece of raw HTML defines, so hand-written
/// anchors count as link targets too: every element's `id`, and the `name` of an `<a>`
/// (`<a name="faq"></a>`, as older Markdown and many imported sites write them; browsers
/// scroll to either). Read like [`raw_html_attrs`]: text that mentions `id=` defines nothing.
pub(super) fn raw_html_ids(html: &str, mut found: impl FnMut(&str)) {
    for_each_attribute(html, |tag, name, _at, value| {
        let target = name.eq_ignore_ascii_case("id")
            || (name.eq_ignore_ascii_case("name") && tag.eq_ignore_ascii_case("a"));
        if target && !value.is_empty() {
            found(value);
        }
    });
}

/// Calls `visit(tag, name, at, value)` for every attribute with a value in every start tag of
/// `html`: the tag's name, the attribute's name as written, the byte offset of the value and
/// the value without its quotes.
fn for_each_attribute<'h>(html: &'h str, mut visit: impl FnMut(&'h str, &'h str, usize, &'h str)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let tag_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'>' | b'/'))
        {
            i += 1;
        }
        let tag = &html[tag_start..i];
        // Attributes up to `>`.
        loop {
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                i += 1;
            }
            match bytes.get(i) {
                None => return,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            let name_start = i;
            while bytes
                .get(i)
                .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
            {
                i += 1;
            }
            let name = &html[name_start..i];
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let (at, value) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = html[start..]
                        .find(q as char)
                        .map_or(html.len(), |e| start + e);
                    i = (end + 1).min(html.len());
                    (start, &html[start..end])
                }
                _ => {
                    let start = i;
                    while bytes
                        .get(i)
                        .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                    {
                        i += 1;
                    }
                    (start, &html[start..i])
                }
            };
            visit(tag, name, at, value);
        }
    }
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
pub(crate) fn percent_decode(s: &str) -> Cow<'_, str> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, fragment: Option<&str>, from_root: bool) -> Dest {
        Dest::Local {
            path: path.into(),
            fragment: fragment.map(Into::into),
            from_root,
        }
    }

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("https://x.y/a.md"), Dest::External);
        assert_eq!(classify("mailto:a@b.c"), Dest::External);
        assert_eq!(
            classify("/essays/foo.md"),
            local("essays/foo.md", None, true)
        );
        assert_eq!(
            classify("/essays/x/#y"),
            local("essays/x/", Some("y"), true)
        );
        assert_eq!(classify("/"), local("", None, true));
        assert_eq!(classify("//cdn.example/x.md"), Dest::External);
        assert_eq!(classify("../img/a.png"), local("../img/a.png", None, false));
        assert_eq!(classify("#"), Dest::External);
        assert_eq!(classify(""), Dest::External);
        assert_eq!(classify("?page=2"), Dest::External);
        assert_eq!(classify("#caf%C3%A9"), Dest::SamePage("café".into()));
        assert_eq!(classify("foo.md"), local("foo.md", None, false));
        assert_eq!(
            classify("../a/b.md#x"),
            local("../a/b.md", Some("x"), false)
        );
        assert_eq!(classify("b.md#"), local("b.md", None, false));
        assert_eq!(
            classify("my%20notes.md?v=1#y"),
            local("my notes.md", Some("y"), false)
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
        let html = r#"<a class=x HREF = "javascript:go()">x src=no</a><img src=pic.png alt="src=no"><form action='/a'><!-- <img src=c.png> --><img srcset="a.png 1x, b%20c.png 2x" src="#;
        let attrs = raw_html_attrs(html);
        let urls: Vec<(&str, &str)> = attrs.iter().map(|a| (a.name, a.value)).collect();
        assert_eq!(
            urls,
            [
                ("href", "javascript:go()"),
                ("src", "pic.png"),
                ("action", "/a"),
                ("srcset", "a.png 1x, b%20c.png 2x"),
                ("src", ""),
            ]
        );
        let first = &attrs[0];
        assert_eq!(&html[first.at..first.at + first.value.len()], first.value);
        let srcset = &attrs[3];
        let candidates: Vec<&str> = srcset
            .urls()
            .into_iter()
            .map(|(at, url)| {
                let at = srcset.at + at;
                assert_eq!(&html[at..at + url.len()], url);
                url
            })
            .collect();
        assert_eq!(candidates, ["a.png", "b%20c.png"]);
    }

    #[test]
    fn raw_html_scanning_never_panics() {
        for html in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"",
            "<a href='x",
            "<!--",
            "<é src=x>",
            "<a\u{1F600}=x>",
        ] {
            let _ = raw_html_attrs(html);
        }
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

    #[test]
    fn the_name_of_an_a_is_a_target_and_text_mentioning_id_is_not() {
        let mut ids = Vec::new();
        raw_html_ids(
            r#"<a name="longjmp-unwind"></a><A NAME=up>x</A><input name="q"><meta name="x"><p>set id=5 or name=6</p><!-- <a id="gone"> --><a ID="caps">"#,
            |id| ids.push(id.to_string()),
        );
        assert_eq!(ids, ["longjmp-unwind", "up", "caps"]);
    }
}
