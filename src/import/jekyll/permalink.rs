//! Jekyll's URL rules (`configuration.rb` styles, `drops/url_drop.rb` placeholders,
//! `url.rb` sanitising, `page.rb` page templates), as read in Jekyll's own sources.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

/// A post's template for a `permalink` style (or the pattern itself).
pub(crate) fn post_template(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        pattern => pattern.into(),
    }
}

/// A page's template for a `permalink` style.
pub(crate) fn page_template(style: &str) -> String {
    match style {
        "pretty" => "/:path/:basename/".into(),
        "date" | "ordinal" | "none" => "/:path/:basename:output_ext".into(),
        custom => {
            let mut t = String::from("/:path/:basename");
            if custom.ends_with('/') {
                t.push('/');
            } else if custom.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
            t
        }
    }
}

/// What a template's placeholders are filled from.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub date: Option<DateTime<FixedOffset>>,
    /// Front-matter `slug`, else the file name without date and extension.
    pub slug: String,
    /// The file name without extension (date kept).
    pub basename: String,
    pub categories: Vec<String>,
    /// Folder of a page (`docs`), or the post's path inside its collection without ext.
    pub path: String,
    /// The collection's label (`posts`, `docs`); empty means `posts`.
    pub collection: String,
}

/// Jekyll's `slugify` in `pretty` mode (`cased` keeps case): runs of characters outside
/// letters, marks, digits and `._~!$&'()+,;=@` become `-`, trimmed.
pub(crate) fn slugify_pretty(s: &str, cased: bool) -> String {
    slugify_with(s, cased, |c| "._~!$&'()+,;=@".contains(c))
}

/// Jekyll's default `slugify`: runs outside letters, marks and digits become `-`,
/// lowercased.
pub(crate) fn slugify_default(s: &str) -> String {
    slugify_with(s, false, |_| false)
}

fn slugify_with(s: &str, cased: bool, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() || keep(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if cased { out } else { out.to_lowercase() }
}

/// A template filled in and sanitised (`/` first, `//` squeezed).
pub(crate) fn expand(template: &str, f: &Facts) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        let d = f.date;
        let fmt = |p: &str| d.map(|d| d.format(p).to_string()).unwrap_or_default();
        let value = match token {
            "year" => fmt("%Y"),
            "month" => fmt("%m"),
            "day" => fmt("%d"),
            "i_month" => d.map(|d| d.month().to_string()).unwrap_or_default(),
            "i_day" => d.map(|d| d.day().to_string()).unwrap_or_default(),
            "short_year" => fmt("%y"),
            "hour" => d.map(|d| format!("{:02}", d.hour())).unwrap_or_default(),
            "minute" => fmt("%M"),
            "second" => fmt("%S"),
            "short_month" => fmt("%b"),
            "long_month" => fmt("%B"),
            "y_day" => fmt("%j"),
            "week" => fmt("%V"),
            "w_year" => fmt("%G"),
            "w_day" => fmt("%u"),
            "short_day" => fmt("%a"),
            "long_day" => fmt("%A"),
            "title" => slugify_pretty(&f.slug, true),
            "slug" => slugify_default(&f.slug),
            "name" => slugify_default(&f.basename),
            "categories" => {
                let mut seen = Vec::new();
                for c in &f.categories {
                    let c = c.to_lowercase();
                    if !seen.contains(&c) {
                        seen.push(c);
                    }
                }
                seen.join("/")
            }
            "slugified_categories" => f
                .categories
                .iter()
                .map(|c| slugify_default(c))
                .collect::<Vec<_>>()
                .join("/"),
            "path" => f.path.clone(),
            "basename" => f.basename.clone(),
            "collection" if f.collection.is_empty() => "posts".into(),
            "collection" => f.collection.clone(),
            "output_ext" => ".html".into(),
            other => format!(":{other}"),
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    let mut url = format!("/{out}");
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    url.replace("/./", "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            date: DateTime::parse_from_rfc3339("2020-05-01T10:00:00+00:00").ok(),
            slug: "My-Post".into(),
            basename: "2020-05-01-My-Post".into(),
            categories: vec!["Blog".into(), "tech".into()],
            path: "/2020-05-01-My-Post".into(),
            collection: String::new(),
        }
    }

    #[test]
    fn jekyll_post_styles() {
        let f = facts();
        assert_eq!(
            expand(&post_template("date"), &f),
            "/blog/tech/2020/05/01/My-Post.html"
        );
        assert_eq!(
            expand(&post_template("pretty"), &f),
            "/blog/tech/2020/05/01/My-Post/"
        );
        assert_eq!(
            expand(&post_template("ordinal"), &f),
            "/blog/tech/2020/122/My-Post.html"
        );
        assert_eq!(
            expand(&post_template("none"), &f),
            "/blog/tech/My-Post.html"
        );
        assert_eq!(expand("/:year/:slug/", &f), "/2020/my-post/");
        assert_eq!(expand("/:i_month/:title:output_ext", &f), "/5/My-Post.html");
        let none = Facts {
            categories: vec![],
            ..facts()
        };
        assert_eq!(
            expand(&post_template("date"), &none),
            "/2020/05/01/My-Post.html"
        );
    }

    #[test]
    fn jekyll_page_styles_and_slugs() {
        let f = Facts {
            path: "docs".into(),
            basename: "about".into(),
            ..Facts::default()
        };
        assert_eq!(expand(&page_template("date"), &f), "/docs/about.html");
        assert_eq!(expand(&page_template("pretty"), &f), "/docs/about/");
        assert_eq!(expand(&page_template("/:year/:title/"), &f), "/docs/about/");
        assert_eq!(expand(&page_template("/:year/:title"), &f), "/docs/about");
        assert_eq!(slugify_pretty("what's new", true), "what's-new");
        assert_eq!(slugify_default("what's new"), "what-s-new");
        assert_eq!(slugify_default("foo_bar"), "foo-bar");
    }
}
