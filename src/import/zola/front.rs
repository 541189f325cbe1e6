//! Zola front matter to sheaf's, and each page's old URL by Zola's rules.

use super::super::Options;
use super::super::ids::zola_slug;
use super::super::keys::{self, Keys, boolean, integer, set_date, set_title};
use super::super::model::{Doc, Site, string, string_list};
use super::super::walk;
use crate::yaml::{Mapping, Value};

/// `2020-05-01-slug` or `2020-05-01_slug` (Zola takes the date from such names): the date
/// and the rest.
pub(crate) fn dated_name(stem: &str) -> Option<(&str, &str)> {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    (is_date && matches!(b[10], b'-' | b'_')).then(|| (&stem[..10], &stem[11..]))
}

/// A page: keys mapped, URL worked out, destination named.
pub(crate) fn page(mut doc: Doc, map: Mapping, options: &Options, site: &mut Site) {
    let rel = doc.dest.clone();
    let is_bundle = rel.ends_with("/index.md") || rel == "index.md";
    let dir = walk::parent(&rel);
    let (section_dir, name) = if is_bundle {
        (walk::parent(dir), dir.rsplit('/').next().unwrap_or(dir))
    } else {
        (dir, walk::stem(&rel))
    };
    let dated = dated_name(name);
    let plain_name = dated.map_or(name, |(_, rest)| rest);
    if !is_bundle {
        doc.dest = join(section_dir, &format!("{plain_name}.md"));
    }
    let mut k = Keys::new(map);
    set_title(&mut doc, site, k.take("title"), plain_name);
    let path = k.take("path");
    match k.take("date") {
        Some(d) => set_date(&mut doc, site, "date", &d),
        None => {
            // Zola's own date is the file name's; failing that, a date the URL spells
            // out (`inside-rust/2020/07/27/slug`) is the one readers saw.
            let from_path = path.as_ref().and_then(Value::as_str).and_then(date_in_path);
            if let Some(date) = dated.map(|(d, _)| d.to_string()).or(from_path) {
                doc.set("date", date);
            }
        }
    }
    if let Some(u) = k.take("updated") {
        set_date(&mut doc, site, "updated", &u);
    }
    if let Some(d) = k
        .take("description")
        .as_ref()
        .and_then(|v| v.as_str().map(String::from))
    {
        doc.set("description", d);
    }
    let mut tags = Vec::new();
    let mut extra_taxonomies = Mapping::new();
    let draft = k.peek("draft").and_then(boolean) == Some(true);
    let mut extra_categories = None;
    if let Some(Value::Mapping(tax)) = k.take("taxonomies") {
        for (key, value) in tax {
            if let Some(name) = key.as_str().filter(|_| !draft) {
                site.terms_of(name, &string_list(&value, None));
            }
            match key.as_str() {
                Some("tags") => tags.extend(string_list(&value, None)),
                Some("categories") if options.categories_as_tags => {
                    tags.extend(string_list(&value, None));
                }
                Some("categories") => extra_categories = Some(value),
                _ => {
                    extra_taxonomies.insert(key, value);
                }
            }
        }
    }
    super::super::keys::set_tags_draft_weight(&mut doc, &mut k, tags);
    if let Some(false) = k.take("in_search_index").as_ref().and_then(boolean) {
        doc.set("search", false);
    }
    if let Some(t) = k.take("template") {
        site.note(
            doc.source.display().to_string(),
            format!(
                "`template = {}` dropped: sheaf's templates differ; make one in templates/ if the page needs it",
                super::super::model::scalar_text(&t).unwrap_or_default()
            ),
        );
    }
    if let Some(a) = k.take("aliases") {
        doc.old_aliases = string_list(&a, None);
    }
    let slug = k
        .take("slug")
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| zola_slug(plain_name));
    doc.old_url = Some(match path.as_ref().and_then(Value::as_str) {
        Some(path) => zola_path(path),
        None => {
            let mut url = String::from("/");
            for seg in section_dir.split('/').filter(|s| !s.is_empty()) {
                url.push_str(seg);
                url.push('/');
            }
            url.push_str(&slug);
            url.push('/');
            url
        }
    });
    if let Some(Value::Mapping(extra)) = k.take("extra") {
        doc.set("extra", Value::Mapping(extra));
    }
    if let Some(categories) = extra_categories {
        keys::extra_insert(&mut doc, "categories", categories);
    }
    if !extra_taxonomies.is_empty() {
        keys::extra_insert(&mut doc, "taxonomies", Value::Mapping(extra_taxonomies));
    }
    k.finish(&mut doc, site);
    site.docs.push(doc);
}

/// A section's `_index.md`.
pub(crate) fn section(mut doc: Doc, map: Mapping, dir: &str, site: &mut Site) {
    let mut k = Keys::new(map);
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
    if let Some(d) = k
        .take("description")
        .as_ref()
        .and_then(|v| v.as_str().map(String::from))
    {
        doc.set("description", d);
    }
    section_keys(&mut doc, &mut k, site);
    k.finish(&mut doc, site);
    site.docs.push(doc);
}

/// The section keys Zola and Hugo share: `sort_by`, `paginate_by`, `weight`, `template`.
pub(crate) fn section_keys(doc: &mut Doc, k: &mut Keys, site: &mut Site) {
    if let Some(sort) = k.peek("sort_by").and_then(Value::as_str) {
        let sheaf = match sort {
            "date" | "update_date" => Some("date"),
            "weight" => Some("weight"),
            "title" | "title_bytes" => Some("title"),
            _ => None,
        };
        if let Some(s) = sheaf {
            doc.set("sort_by", s);
            k.take("sort_by");
        }
    }
    if let Some(n) = k.take("paginate_by").as_ref().and_then(integer) {
        doc.set("paginate_by", n.max(0));
    }
    if let Some(w) = k.take("weight").as_ref().and_then(integer) {
        doc.set("weight", w);
    }
    if let Some(a) = k.take("aliases") {
        doc.old_aliases = string_list(&a, None);
    }
    if k.take("template").is_some() || k.take("page_template").is_some() {
        site.note(
            doc.source.display().to_string(),
            "section template dropped: sheaf's templates differ",
        );
    }
    if let Some(Value::Mapping(extra)) = k.take("extra") {
        doc.set("extra", Value::Mapping(extra));
    }
}

/// Zola's `path`: leading and trailing `/` added (a `.html`/`.xml` path stays a file).
pub(crate) fn zola_path(path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    if trimmed.ends_with(".html") || trimmed.ends_with(".xml") {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    }
}

/// The date a URL path spells as `YYYY/MM/DD` segments (`inside-rust/2020/07/27/slug`), as
/// `2020-07-27`; only a real calendar date.
pub(crate) fn date_in_path(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    segments.windows(3).find_map(|w| {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(w[0], 4) && digits(w[1], 2) && digits(w[2], 2)) {
            return None;
        }
        let date = format!("{}-{}-{}", w[0], w[1], w[2]);
        chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .is_ok()
            .then_some(date)
    })
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_urls() {
        assert_eq!(
            dated_name("2020-05-01-hello"),
            Some(("2020-05-01", "hello"))
        );
        assert_eq!(
            dated_name("2020-05-01_hello"),
            Some(("2020-05-01", "hello"))
        );
        assert_eq!(dated_name("2020-05-01"), None);
        assert_eq!(zola_path("a/b"), "/a/b/");
        assert_eq!(zola_path("/a/b/"), "/a/b/");
        assert_eq!(zola_path("feed.xml"), "/feed.xml");
        assert_eq!(
            date_in_path("inside-rust/2020/07/27/slug").as_deref(),
            Some("2020-07-27")
        );
        assert_eq!(
            date_in_path("2014/12/12/1.0-Timeline").as_deref(),
            Some("2014-12-12")
        );
        assert_eq!(date_in_path("2020/13/40/x"), None);
        assert_eq!(date_in_path("releases/1.66.0"), None);
    }

    #[test]
    fn dates_come_from_the_path_when_front_matter_and_file_name_have_none() {
        let (doc, _) = import(
            "inside-rust/x.md",
            "title = \"T\"\npath = \"inside-rust/2020/07/27/x\"",
        );
        assert_eq!(doc.get_str("date"), Some("2020-07-27"));
        let (doc, _) = import(
            "blog/2019-01-02-x.md",
            "title = \"T\"\npath = \"2020/07/27/x\"",
        );
        assert_eq!(doc.get_str("date"), Some("2019-01-02"));
        let (doc, _) = import("blog/2019-01-02_x/index.md", "title = \"T\"");
        assert_eq!(doc.get_str("date"), Some("2019-01-02"));
        let (doc, _) = import(
            "blog/x.md",
            "title = \"T\"\ndate = 2021-03-04\npath = \"2020/07/27/x\"",
        );
        assert_eq!(doc.get_str("date"), Some("2021-03-04"));
    }

    fn import(rel: &str, front: &str) -> (Doc, Site) {
        let mut site = Site::default();
        let text = format!("+++\n{front}\n+++\nbody\n");
        let split = crate::import::front_matter::split(&text);
        let map =
            crate::import::front_matter::parse(&split, &text, std::path::Path::new(rel)).unwrap();
        let doc = Doc::new(rel.into(), rel.into(), "body\n".into(), 1);
        page(
            doc,
            map,
            &Options {
                categories_as_tags: true,
                ..Options::default()
            },
            &mut site,
        );
        (site.docs.pop().unwrap(), site)
    }

    #[test]
    fn pages_map_keys_and_urls() {
        let (doc, site) = import(
            "blog/2021-01-02-My Post.md",
            "title = \"T\"\n[taxonomies]\ntags = [\"a\"]\ncategories = [\"c\"]\nseries = [\"s\"]\n[extra]\nx = 1",
        );
        assert_eq!(doc.dest, "blog/My Post.md");
        assert_eq!(doc.get_str("date"), Some("2021-01-02"));
        assert_eq!(doc.old_url.as_deref(), Some("/blog/my-post/"));
        assert_eq!(doc.front["tags"][1], Value::from("c"));
        assert_eq!(doc.front["extra"]["x"], Value::from(1));
        assert_eq!(
            doc.front["extra"]["taxonomies"]["series"][0],
            Value::from("s")
        );
        assert!(site.moved_to_extra.is_empty());
        let (doc, _) = import(
            "blog/b/index.md",
            "title = \"B\"\npath = \"x/y\"\nweirdo = true",
        );
        assert_eq!(doc.dest, "blog/b/index.md");
        assert_eq!(doc.old_url.as_deref(), Some("/x/y/"));
        assert_eq!(doc.front["extra"]["weirdo"], Value::Bool(true));
    }
}
