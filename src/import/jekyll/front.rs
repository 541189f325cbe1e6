//! Jekyll front matter to sheaf's, and each post's and page's old URL by Jekyll's rules.

use super::super::keys::{self, Keys, boolean, set_date, set_title};
use super::super::model::{Doc, Site, scalar_text, string, string_list};
use super::super::walk;
use super::permalink::{Facts, expand, page_template, post_template};
use super::{Collection, Settings};
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
    let date = date_of(k.take("date"), file_date, settings);
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
        date: date.as_deref().and_then(super::super::keys::parse_date),
        slug: slug.clone(),
        basename: stem.clone(),
        categories,
        path: format!(
            "/{}",
            without_ext(rel.rsplit_once("_posts/").map_or(rel.as_str(), |(_, p)| p))
        ),
        collection: "posts".into(),
    };
    let template = permalink
        .or_else(|| settings.posts_permalink.clone())
        .unwrap_or_else(|| post_template(&settings.permalink));
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

/// The date of a post or document: front matter first, else the file name's. With
/// `timezone:`, a date written with an offset is shown in that zone (Jekyll's `Time` is
/// local to it), which can move it to the day before or after.
fn date_of(front: Option<Value>, file_date: Option<String>, settings: &Settings) -> Option<String> {
    let text = front.as_ref().and_then(scalar_text);
    let from_front = front.as_ref().and_then(keys::date);
    // Only a front-matter date that was read can carry an offset (an unreadable one falls
    // back to the file name's date, a wall-clock day).
    let with_offset = from_front.is_some() && text.as_deref().is_some_and(|t| !is_naive(t));
    let date = from_front.or(file_date)?;
    match (&settings.timezone, super::super::keys::parse_date(&date)) {
        (Some(zone), Some(at)) if with_offset => Some(zone.convert(at).to_rfc3339()),
        _ => Some(date),
    }
}

/// Whether a date is written without an offset (a wall-clock time of the site's zone).
fn is_naive(text: &str) -> bool {
    let text = text.trim();
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
        || [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
        ]
        .iter()
        .any(|f| chrono::NaiveDateTime::parse_from_str(text, f).is_ok())
}

fn without_ext(p: &str) -> &str {
    match p.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => stem,
        _ => p,
    }
}

/// A document of a collection other than posts (`_docs/x.md`), at `inside` its folder.
pub(crate) fn document(
    mut doc: Doc,
    map: Mapping,
    c: &Collection,
    inside: &str,
    settings: &Settings,
    site: &mut Site,
) {
    let stem = walk::stem(inside).to_string();
    let (file_date, file_slug) = match dated(&stem) {
        Some((d, s)) => (Some(d), s.to_string()),
        None => (None, stem.clone()),
    };
    let mut k = Keys::new(map);
    set_title(&mut doc, site, k.take("title"), &file_slug);
    let date = date_of(k.take("date"), file_date, settings);
    if let Some(d) = &date {
        doc.set("date", d.clone());
    }
    common(&mut doc, &mut k, settings, site, &[]);
    let slug = k
        .take("slug")
        .as_ref()
        .and_then(scalar_text)
        .unwrap_or(file_slug);
    let permalink = k.take("permalink").as_ref().and_then(scalar_text);
    let facts = Facts {
        date: date.as_deref().and_then(super::super::keys::parse_date),
        slug: slug.clone(),
        basename: stem.clone(),
        categories: doc_categories(&doc),
        path: format!("/{}", without_ext(inside)),
        collection: c.name.clone(),
    };
    let url = expand(&permalink.unwrap_or_else(|| c.permalink.clone()), &facts);
    let at_root = !inside.contains('/');
    if at_root && stem == "index" {
        if url == format!("/{}/", c.name) {
            // The collection's own page: it becomes the section's `_index.md`.
            doc.is_section = true;
            doc.dest = format!("{}/_index.md", c.name);
            section_keys_only(&mut doc);
        } else {
            let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            let name = match crate::slug::slugify(without_ext(last)) {
                s if s.is_empty() || s == "index" || s == c.name => "index-page".to_string(),
                s => s,
            };
            doc.dest = format!("{}/{name}.md", c.name);
        }
    } else {
        doc.dest = walk::with_md(&doc.dest);
    }
    doc.old_url = Some(url);
    finish(doc, k, site);
}

/// A section's front matter takes fewer keys than a page's: the others go under `extra`.
fn section_keys_only(doc: &mut Doc) {
    const SECTION: &[&str] = &[
        "title",
        "description",
        "sort_by",
        "paginate_by",
        "weight",
        "template",
        "extra",
    ];
    let moved: Vec<(Value, Value)> = doc
        .front
        .iter()
        .filter(|(k, _)| {
            k.as_str()
                .is_some_and(|k| !SECTION.contains(&k) && k != "__categories")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in moved {
        doc.front.remove(&k);
        if let Some(name) = k.as_str() {
            keys::extra_insert(doc, name, v);
        }
    }
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
    super::super::keys::set_tags(doc, tags);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(permalink: &str) -> Settings {
        Settings {
            permalink: permalink.into(),
            absolute_base: "https://me.github.io/blog".into(),
            categories_as_tags: true,
            defaults: Vec::new(),
            posts_permalink: None,
            timezone: None,
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
    fn jekyll_posts_collection_permalink_and_timezone() {
        let mut st = settings("date");
        st.posts_permalink = Some("news/:year/:month/:day/:title/".into());
        st.timezone = Some(super::super::tz::Zone::fixed(-7 * 3600));
        let text = "---\ndate: 2013-05-06 02:12:52 +0200\n---\nbody\n";
        let split = crate::import::front_matter::split(text);
        let map =
            crate::import::front_matter::parse(&split, text, std::path::Path::new("x")).unwrap();
        let rel = "_posts/2013-05-06-jekyll-1-0-0-released.markdown";
        let doc = Doc::new(rel.into(), rel.into(), "body\n".into(), 1);
        let mut site = Site::default();
        post(doc, map, false, &st, &mut site);
        let d = site.docs.pop().unwrap();
        assert_eq!(
            d.old_url.as_deref(),
            Some("/news/2013/05/05/jekyll-1-0-0-released/")
        );
        assert_eq!(d.get_str("date"), Some("2013-05-05T17:12:52-07:00"));
        // A date without an offset is the zone's wall clock: the day stays.
        let text = "---\ndate: 2013-05-06 02:12:52\npermalink: /x/:year/:month/:day/\n---\n";
        let split = crate::import::front_matter::split(text);
        let map =
            crate::import::front_matter::parse(&split, text, std::path::Path::new("x")).unwrap();
        let doc = Doc::new(rel.into(), rel.into(), String::new(), 1);
        post(doc, map, false, &st, &mut site);
        assert_eq!(
            site.docs.pop().unwrap().old_url.as_deref(),
            Some("/x/2013/05/06/")
        );
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
