//! Hugo's URL rules (`resources/page/page_paths.go`, `permalinks.go`): the default
//! `/<dir>/<slug or name>/`, `[permalinks]` patterns, `uglyURLs`, all sanitised and
//! lowercased like Hugo's `MakePathSanitized`.

use chrono::{DateTime, Datelike, FixedOffset};

/// Hugo's `MakePathSanitized`: letters, digits, marks and `./\_#~-@%` kept (`+` dropped, as built sites show), each run of
/// whitespace one `-`, anything else dropped; lowercased unless `keep_case`.
pub(crate) fn sanitize(path: &str, keep_case: bool) -> String {
    let mut out = String::with_capacity(path.len());
    let mut space = false;
    for c in path.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push('-');
            space = false;
        }
        if c.is_alphanumeric() || "./\\_#~-@%".contains(c) {
            out.push(c);
        }
    }
    if keep_case { out } else { out.to_lowercase() }
}

/// What a pattern's tokens are filled from.
pub(crate) struct PageFacts<'a> {
    pub date: Option<DateTime<FixedOffset>>,
    pub title: &'a str,
    pub slug: Option<&'a str>,
    /// The file's base name (a bundle: its folder's name).
    pub filename: &'a str,
    /// The page's sections (`posts/2020`).
    pub sections: &'a str,
}

/// A `[permalinks]` pattern filled in for one page, sanitised.
pub(crate) fn expand(pattern: &str, page: &PageFacts<'_>, keep_case: bool) -> String {
    let urlize = |s: &str| sanitize(s, false);
    let first_section = page.sections.split('/').next().unwrap_or("");
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        let date = page.date;
        let value = match token {
            "year" => date.map(|d| d.year().to_string()),
            "month" => date.map(|d| format!("{:02}", d.month())),
            "monthname" => date.map(|d| d.format("%B").to_string()),
            "day" => date.map(|d| format!("{:02}", d.day())),
            "weekday" => date.map(|d| d.weekday().num_days_from_sunday().to_string()),
            "weekdayname" => date.map(|d| d.format("%A").to_string()),
            "yearday" => date.map(|d| d.ordinal().to_string()),
            "section" | "sectionslug" => Some(first_section.to_string()),
            "sections" | "sectionslugs" => Some(page.sections.to_string()),
            "title" => Some(urlize(page.title)),
            "slug" => Some(urlize(page.slug.unwrap_or(page.title))),
            "slugorfilename" | "slugorcontentbasename" => {
                Some(urlize(page.slug.unwrap_or(page.filename)))
            }
            "filename" | "contentbasename" => Some(urlize(page.filename)),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&v),
            None => {
                out.push(':');
                out.push_str(token);
            }
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    let path = sanitize(&out, keep_case);
    let mut path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_urls() {
        assert_eq!(sanitize("posts/My Post", false), "posts/my-post");
        assert_eq!(sanitize("What's next?", false), "whats-next");
        // Built Hugo sites drop `+` (`taskpaper-+-vim` is served at `taskpaper--vim`).
        assert_eq!(sanitize("C++ tips", false), "c-tips");
        let date = DateTime::parse_from_rfc3339("2020-05-01T10:00:00+02:00").ok();
        let page = PageFacts {
            date,
            title: "Hello World",
            slug: None,
            filename: "hello",
            sections: "posts",
        };
        assert_eq!(
            expand("/:year/:month/:title/", &page, false),
            "/2020/05/hello-world/"
        );
        assert_eq!(
            expand("/:section/:slug/", &page, false),
            "/posts/hello-world/"
        );
        assert_eq!(expand("/:filename/", &page, false), "/hello/");
        assert_eq!(
            expand("/:year/:monthname/:day/:slugorfilename/", &page, false),
            "/2020/may/01/hello/"
        );
    }
}
