//! Hugo front matter to sheaf's, and each page's old URL by Hugo's rules. Front-matter keys
//! are case-insensitive in Hugo (`Title` is `title`).

use super::super::Options;
use super::super::keys::{Keys, boolean, set_date, set_title};
use super::super::model::{Doc, Site, scalar_text, string, string_list};
use super::super::walk;
use super::super::zola::front::section_keys;
use super::Settings;
use super::permalinks::{PageFacts, expand, sanitize};
use crate::yaml::{Mapping, Value};

/// The keys Hugo reads itself, lowercased so `Title` maps like `title`.
const KNOWN: &[&str] = &[
    "title",
    "date",
    "publishdate",
    "pubdate",
    "published",
    "lastmod",
    "modified",
    "description",
    "summary",
    "tags",
    "categories",
    "draft",
    "slug",
    "url",
    "aliases",
    "weight",
    "images",
    "image",
];

fn normalise(map: Mapping) -> Mapping {
    map.into_iter()
        .map(|(k, v)| match k.as_str().map(str::to_lowercase) {
            Some(lower) if KNOWN.contains(&lower.as_str()) => (string(lower), v),
            _ => (k, v),
        })
        .collect()
}

/// A page: keys mapped, old URL worked out.
pub(crate) fn page(
    mut doc: Doc,
    map: Mapping,
    settings: &Settings,
    options: &Options,
    site: &mut Site,
) {
    let rel = doc.dest.clone();
    let is_bundle = rel.ends_with("/index.md") || rel == "index.md";
    let dir = walk::parent(&rel);
    let (section_dir, name) = if is_bundle {
        (walk::parent(dir), dir.rsplit('/').next().unwrap_or(dir))
    } else {
        (dir, walk::stem(&rel))
    };
    let mut k = Keys::new(normalise(map));
    set_title(&mut doc, site, k.take("title"), name);
    let date = k
        .take("date")
        .or_else(|| k.take("publishdate"))
        .or_else(|| k.take("pubdate"))
        .or_else(|| k.take("published"));
    if let Some(d) = &date {
        set_date(&mut doc, site, "date", d);
    }
    if let Some(u) = k.take("lastmod").or_else(|| k.take("modified")) {
        set_date(&mut doc, site, "updated", &u);
    }
    let description = k.take("description").or_else(|| k.take("summary"));
    if let Some(d) = description.as_ref().and_then(scalar_text) {
        doc.set("description", d);
    }
    let mut tags = k
        .take("tags")
        .map(|v| string_list(&v, None))
        .unwrap_or_default();
    let draft = k.peek("draft").and_then(boolean) == Some(true);
    if !draft {
        site.terms_of("tags", &tags);
        if let Some(c) = k.peek("categories") {
            site.terms_of("categories", &string_list(c, None));
        }
    }
    if options.categories_as_tags
        && let Some(c) = k.take("categories")
    {
        tags.extend(string_list(&c, None));
    }
    super::super::keys::set_tags_draft_weight(&mut doc, &mut k, tags);
    let image = k
        .take("images")
        .map(|v| string_list(&v, None))
        .and_then(|v| v.into_iter().next())
        .or_else(|| k.take("image").as_ref().and_then(scalar_text));
    if let Some(img) = image {
        doc.set("image", img);
    }
    let slug = k
        .take("slug")
        .as_ref()
        .and_then(scalar_text)
        .map(|s| s.trim_matches('-').to_string());
    let title = doc.get_str("title").unwrap_or("").to_string();
    let url = match k.take("url").as_ref().and_then(scalar_text) {
        Some(url) => {
            if url.starts_with('/') {
                url
            } else {
                format!("/{url}")
            }
        }
        None => {
            let first = section_dir.split('/').next().unwrap_or("");
            let pattern = settings
                .permalinks
                .iter()
                .find(|(s, _)| s == first)
                .map(|(_, p)| p.as_str());
            let base = slug.clone().unwrap_or_else(|| name.to_string());
            match pattern {
                Some(p) => {
                    let facts = PageFacts {
                        date: date
                            .as_ref()
                            .and_then(super::super::keys::date)
                            .and_then(|d| super::super::keys::parse_date(&d)),
                        title: &title,
                        slug: slug.as_deref(),
                        filename: name,
                        sections: section_dir,
                    };
                    expand(p, &facts, settings.keep_case)
                }
                None => {
                    let joined = if section_dir.is_empty() {
                        base
                    } else {
                        format!("{section_dir}/{base}")
                    };
                    let path = sanitize(&joined, settings.keep_case);
                    if settings.ugly_urls {
                        format!("/{path}.html")
                    } else {
                        format!("/{path}/")
                    }
                }
            }
        }
    };
    if let Some(a) = k.take("aliases") {
        let parent = url
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(p, _)| p)
            .to_string();
        doc.old_aliases = string_list(&a, None)
            .into_iter()
            .map(|alias| {
                // Relative aliases are read against the parent of the page's folder; one
                // without a file suffix is a folder (`alias/index.html`).
                let alias = if alias.starts_with('/') {
                    alias
                } else {
                    format!("{parent}/{alias}")
                };
                let last = alias.rsplit('/').next().unwrap_or("");
                if alias.ends_with('/') || last.contains('.') {
                    alias
                } else {
                    format!("{alias}/")
                }
            })
            .collect();
    }
    doc.old_url = Some(url);
    k.finish(&mut doc, site);
    site.docs.push(doc);
}

/// A branch bundle's `_index.md` (a section, or the home page).
pub(crate) fn section(mut doc: Doc, map: Mapping, dir: &str, site: &mut Site) {
    doc.is_section = true;
    let mut k = Keys::new(normalise(map));
    let fallback = if dir.is_empty() {
        site.config
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("Home")
            .to_string()
    } else {
        dir.rsplit('/').next().unwrap_or(dir).to_string()
    };
    let title = k.take("title").or_else(|| Some(string(fallback)));
    set_title(&mut doc, site, title, dir);
    let description = k.take("description").or_else(|| k.take("summary"));
    if let Some(d) = description.as_ref().and_then(scalar_text) {
        doc.set("description", d);
    }
    section_keys(&mut doc, &mut k, site);
    doc.old_url = Some(if dir.is_empty() {
        "/".into()
    } else {
        format!("/{}/", sanitize(dir, false))
    });
    k.finish(&mut doc, site);
    site.docs.push(doc);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(rel: &str, front: &str, settings: &Settings) -> Doc {
        let mut site = Site::default();
        let text = format!("---\n{front}\n---\nbody\n");
        let split = crate::import::front_matter::split(&text);
        let map =
            crate::import::front_matter::parse(&split, &text, std::path::Path::new(rel)).unwrap();
        let doc = Doc::new(rel.into(), rel.into(), "body\n".into(), 1);
        page(
            doc,
            map,
            settings,
            &Options {
                categories_as_tags: true,
                ..Options::default()
            },
            &mut site,
        );
        site.docs.pop().unwrap()
    }

    #[test]
    fn hugo_pages() {
        let plain = Settings::default();
        let d = import(
            "posts/My Post.md",
            "Title: T\nlastmod: 2021-01-01\nimages: [a.png]\ncategories: [c]\nlayout: wide",
            &plain,
        );
        assert_eq!(d.old_url.as_deref(), Some("/posts/my-post/"));
        assert_eq!(d.get_str("updated"), Some("2021-01-01"));
        assert_eq!(d.get_str("image"), Some("a.png"));
        assert_eq!(d.front["tags"][0], Value::from("c"));
        assert_eq!(d.front["extra"]["layout"], Value::from("wide"));
        let d = import(
            "posts/b/index.md",
            "title: B\nslug: bee\naliases: [old, /x/]",
            &plain,
        );
        assert_eq!(d.old_url.as_deref(), Some("/posts/bee/"));
        assert_eq!(d.old_aliases, ["/posts/old/", "/x/"]);
        let d = import("posts/c.md", "title: C\nurl: /custom/Path.html", &plain);
        assert_eq!(d.old_url.as_deref(), Some("/custom/Path.html"));
        let patterned = Settings {
            permalinks: vec![("posts".into(), "/:year/:month/:slug/".into())],
            ..Settings::default()
        };
        let d = import(
            "posts/d.md",
            "title: Hello There\ndate: 2020-05-01T10:00:00Z",
            &patterned,
        );
        assert_eq!(d.old_url.as_deref(), Some("/2020/05/hello-there/"));
        let ugly = Settings {
            ugly_urls: true,
            ..Settings::default()
        };
        let d = import("posts/e.md", "title: E", &ugly);
        assert_eq!(d.old_url.as_deref(), Some("/posts/e.html"));
    }
}
