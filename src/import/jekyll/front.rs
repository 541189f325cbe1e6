//! Jekyll front matter to sheaf's, and each post's and page's old URL by Jekyll's rules.

use super::super::keys::{self, Keys, boolean, set_date, set_title};
use super::super::model::{Doc, Site, scalar_text, string, string_list};
use super::super::walk;
use super::super::zola::front::dedupe;
use super::Settings;
use super::permalink::{Facts, expand, page_template, post_template};
use crate::yaml::{Mapping, Value};

/// `YYYY-MM-DD-slug` (Jekyll's `DATE_FILENAME_MATCHER`): the date and the slug.
pub(crate) fn dated(stem: &str) -> Option<(String, &str)> {
    let mut parts = stem.splitn(4, '-');
    let (y, m, d, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let ok = (2..=4).contains(&y.len())
        && (1..=2).contains(&m.len())
        && (1..=2).contains(&d.len())
        && [y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| (format!("{y:0>4}-{m:0>2}-{d:0>2}"), rest))
}

/// A post (or a draft).
pub(crate) fn post(mut doc: Doc, map: Mapping, draft: bool, settings: &Settings, site: &mut Site) {
    let rel = doc.dest.clone();
    let stem = walk::stem(&rel).to_string();
    let (file_date, file_slug) = match dated(&stem) {
        Some((d, s)) => (Some(d), s.to_string()),
        None => (None, stem.clone()),
    };
    let path_categories: Vec<String> = rel
        .split("_posts/")
        .next()
        .filter(|_| rel.contains("_posts/"))
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut k = Keys::new(map);
    set_title(&mut doc, site, k.take("title"), &file_slug);
    let date = k.take("date").as_ref().and_then(keys::date).or(file_date);
    if let Some(d) = &date {
        doc.set("date", d.clone());
    }
    common(&mut doc, &mut k, settings, site, &path_categories);
    if draft {
        doc.set("draft", true);
    }
    let slug = k
        .take("slug")
        .as_ref()
        .and_then(scalar_text)
        .unwrap_or(file_slug);
    let mut categories = path_categories;
    categories.extend(doc_categories(&doc));
    let permalink = k.take("permalink").as_ref().and_then(scalar_text);
    let facts = Facts {
        date: date.as_deref().and_then(parse_date),
        slug: slug.clone(),
        basename: stem.clone(),
        categories,
        path: format!("/{}", rel.rsplit_once('.').map_or(rel.as_str(), |(p, _)| p)),
    };
    let template = permalink.unwrap_or_else(|| post_template(&settings.permalink));
    if !draft {
        let url = expand(&template, &facts);
        let dir = url
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(d, _)| d);
        doc.set("feed_id", format!("{}{dir}/{slug}", settings.absolute_base));
        doc.old_url = Some(url);
    }
    let name = match crate::slug::slugify(&slug) {
        s if s.is_empty() => crate::slug::slugify(&stem),
        s => s,
    };
    let mut dest = format!("posts/{name}.md");
    if site.docs.iter().any(|d| d.dest == dest) {
        dest = format!(
            "posts/{}-{name}.md",
            date.as_deref().unwrap_or("").get(..10).unwrap_or("")
        );
    }
    doc.dest = dest;
    finish(doc, k, site);
}

/// A page: a file with front matter outside `_posts/`.
pub(crate) fn page(mut doc: Doc, map: Mapping, settings: &Settings, site: &mut Site) {
    let rel = doc.dest.clone();
    let dir = walk::parent(&rel).to_string();
    let stem = walk::stem(&rel).to_string();
    let mut k = Keys::new(map);
    let is_home = dir.is_empty() && stem == "index";
    if is_home {
        let title = k
            .take("title")
            .or_else(|| site.config.get("title").cloned());
        set_title(&mut doc, site, title, "Home");
        if let Some(d) = k.take("description").as_ref().and_then(scalar_text) {
            doc.set("description", d);
        }
        doc.is_section = true;
        doc.dest = "_index.md".into();
        doc.old_url = Some("/".into());
        k.take("permalink");
        finish(doc, k, site);
        return;
    }
    set_title(&mut doc, site, k.take("title"), &stem);
    if let Some(d) = k.take("date").as_ref().and_then(keys::date) {
        doc.set("date", d);
    }
    common(&mut doc, &mut k, settings, site, &[]);
    let permalink = k.take("permalink").as_ref().and_then(scalar_text);
    let facts = Facts {
        path: dir.clone(),
        basename: stem.clone(),
        ..Facts::default()
    };
    let template = permalink.unwrap_or_else(|| {
        if stem == "index" {
            "/:path/".into()
        } else {
            page_template(&settings.permalink)
        }
    });
    doc.old_url = Some(expand(&template, &facts));
    doc.dest = walk::with_md(&rel);
    finish(doc, k, site);
}

/// Keys posts and pages share.
fn common(
    doc: &mut Doc,
    k: &mut Keys,
    settings: &Settings,
    site: &mut Site,
    _path_cats: &[String],
) {
    if let Some(u) = k.take("last_modified_at").or_else(|| k.take("updated")) {
        set_date(doc, site, "updated", &u);
    }
    let description = k.take("description").or_else(|| k.take("excerpt"));
    if let Some(d) = description.as_ref().and_then(scalar_text) {
        doc.set("description", d);
    }
    let mut tags = k
        .take("tags")
        .map(|v| string_list(&v, Some(' ')))
        .unwrap_or_default();
    let mut categories = k
        .take("categories")
        .map(|v| string_list(&v, Some(' ')))
        .unwrap_or_default();
    categories.extend(
        k.take("category")
            .map(|v| string_list(&v, None))
            .unwrap_or_default(),
    );
    if settings.categories_as_tags {
        tags.extend(categories.iter().cloned());
    } else if !categories.is_empty() {
        keys::extra_insert(
            doc,
            "categories",
            Value::Sequence(categories.iter().cloned().map(string).collect()),
        );
    }
    // Kept for the URL (`:categories`) whichever way they go.
    doc.front.insert(
        string("__categories"),
        Value::Sequence(categories.into_iter().map(string).collect()),
    );
    dedupe(&mut tags);
    if !tags.is_empty() {
        doc.set(
            "tags",
            Value::Sequence(tags.into_iter().map(string).collect()),
        );
    }
    if k.take("published").as_ref().and_then(boolean) == Some(false) {
        doc.set("draft", true);
    }
    if let Some(img) = k.take("image") {
        let path = match &img {
            Value::Mapping(m) => m.get("path").and_then(scalar_text),
            other => scalar_text(other),
        };
        if let Some(p) = path {
            doc.set("image", p);
        }
    }
    if let Some(r) = k.take("redirect_from") {
        doc.old_aliases = string_list(&r, None);
    }
    if k.has("redirect_to") {
        site.note(
            doc.source.display().to_string(),
            "`redirect_to` kept under extra: sheaf pages do not redirect away; link to the target instead",
        );
    }
}

/// The categories `common` kept aside for the URL.
fn doc_categories(doc: &Doc) -> Vec<String> {
    doc.front
        .get("__categories")
        .map(|v| string_list(v, None))
        .unwrap_or_default()
}

fn finish(mut doc: Doc, k: Keys, site: &mut Site) {
    doc.front.remove("__categories");
    k.finish(&mut doc, site);
    site.docs.push(doc);
}

fn parse_date(d: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(d).ok().or_else(|| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .and_then(|n| n.and_hms_opt(0, 0, 0))
            .map(|n| n.and_utc().fixed_offset())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(permalink: &str) -> Settings {
        Settings {
            permalink: permalink.into(),
            absolute_base: "https://me.github.io/blog".into(),
            categories_as_tags: true,
            defaults: Vec::new(),
        }
    }

    fn import(rel: &str, front: &str, style: &str) -> Doc {
        let mut site = Site::default();
        let text = format!("---\n{front}\n---\nbody\n");
        let split = crate::import::front_matter::split(&text);
        let map =
            crate::import::front_matter::parse(&split, &text, std::path::Path::new(rel)).unwrap();
        let doc = Doc::new(rel.into(), rel.into(), "body\n".into(), 1);
        if rel.contains("_posts/") {
            post(doc, map, false, &settings(style), &mut site);
        } else {
            page(doc, map, &settings(style), &mut site);
        }
        site.docs.pop().unwrap()
    }

    #[test]
    fn jekyll_posts() {
        let d = import(
            "_posts/2020-05-01-hello-world.md",
            "title: Hi\ndate: 2020-05-02 10:00:00 +0100\ncategories: News\ntags: a b\nredirect_from: [/old/]\nlayout: post",
            "date",
        );
        assert_eq!(
            d.old_url.as_deref(),
            Some("/news/2020/05/02/hello-world.html")
        );
        assert_eq!(d.get_str("date"), Some("2020-05-02T10:00:00+01:00"));
        assert_eq!(
            d.get_str("feed_id"),
            Some("https://me.github.io/blog/news/2020/05/02/hello-world")
        );
        assert_eq!(d.dest, "posts/hello-world.md");
        assert_eq!(
            d.front["tags"],
            Value::Sequence(vec!["a".into(), "b".into(), "News".into()])
        );
        assert_eq!(d.old_aliases, ["/old/"]);
        assert_eq!(d.front["extra"]["layout"], Value::from("post"));
        assert!(d.front.get("__categories").is_none());
        let d = import("blog/_posts/2020-5-1-x.md", "title: X", "pretty");
        assert_eq!(d.old_url.as_deref(), Some("/blog/2020/05/01/x/"));
    }

    #[test]
    fn jekyll_pages() {
        assert_eq!(
            import("about.md", "title: A", "date").old_url.as_deref(),
            Some("/about.html")
        );
        assert_eq!(
            import("docs/x.markdown", "title: A", "pretty")
                .old_url
                .as_deref(),
            Some("/docs/x/")
        );
        let d = import("docs/x.md", "title: A\npermalink: /elsewhere/", "date");
        assert_eq!(d.old_url.as_deref(), Some("/elsewhere/"));
        assert_eq!(d.dest, "docs/x.md");
        let home = import("index.md", "layout: home", "date");
        assert_eq!(home.dest, "_index.md");
        assert!(home.is_section);
    }
}
