//! The old site's list URLs: taxonomy pages (`/tags/`, `/tags/rust/`, `/categories/x/`),
//! their feeds, and section feeds (`/posts/index.xml`). sheaf writes `/tags/` and
//! `/tags/<slug>/` (with `rss.xml`), one site feed and no section feeds, so each old list
//! URL is counted kept when sheaf writes the same path, and listed as lost, with why,
//! when it does not. A section feed whose section holds every dated page of the site is
//! the site feed: it is kept with a `feeds.copies` entry.

use std::collections::BTreeSet;

use super::model::{Site, string, string_list};
use crate::slug::slugify;
use crate::yaml::{Mapping, Value};

/// What a dialect's lists look like.
#[derive(Debug)]
pub(crate) struct ListRules {
    /// Taxonomies whose pages were published, with the file name of each term's feed.
    pub taxonomies: Vec<(String, Option<String>)>,
    /// The URL segment of a term (`urlize` for Hugo, `slugify` for Zola).
    pub term_slug: fn(&str) -> String,
    /// Section feeds: the file name and format, and whether every section has one (Hugo)
    /// or only those whose front matter asked (Zola `generate_feeds`, now under `extra`).
    pub section_feed: Option<(String, &'static str, bool)>,
}

/// Counts or lists every old list URL of `site` under `rules`.
pub(crate) fn settle(site: &mut Site, rules: &ListRules) {
    let published = |d: &&super::model::Doc| {
        !d.is_section && d.front.get("draft").and_then(Value::as_bool) != Some(true)
    };
    let sheaf_tags: BTreeSet<String> = site
        .docs
        .iter()
        .filter(published)
        .flat_map(|d| {
            d.front
                .get("tags")
                .map(|t| string_list(t, None))
                .unwrap_or_default()
        })
        .map(|t| slugify(&t))
        .collect();
    let mut lost: Vec<(String, String)> = Vec::new();
    let mut kept = 0;
    let mut tag_feed_copy: Option<String> = None;
    let mut redirects: Vec<(String, String)> = Vec::new();
    for (name, feed) in &rules.taxonomies {
        let Some(terms) = site.terms.get(name).filter(|t| !t.is_empty()) else {
            continue;
        };
        let list = format!("/{}/", (rules.term_slug)(name));
        if name == "tags" && !sheaf_tags.is_empty() {
            kept += 1;
        } else {
            lost.push((
                list.clone(),
                format!("sheaf lists tags only (at /tags/), not `{name}`"),
            ));
        }
        if let Some(file) = feed {
            lost.push((
                format!("{list}{file}"),
                "sheaf has no feed of a taxonomy's list".into(),
            ));
        }
        for term in terms {
            let url = format!("{list}{}/", (rules.term_slug)(term));
            let sheaf = format!("/tags/{}/", slugify(term));
            if name == "tags" && url == sheaf && sheaf_tags.contains(&slugify(term)) {
                kept += 1;
            } else if sheaf_tags.contains(&slugify(term)) {
                // The same list at another address: a redirect keeps the old one.
                redirects.push((url.clone(), sheaf.clone()));
            } else {
                lost.push((url.clone(), format!("`{term}` is not a tag in sheaf")));
            }
            if let Some(file) = feed {
                // Hugo's term feeds (`index.xml`) are RSS, like sheaf's tag feeds: where the
                // tag keeps its page, `feeds.copies: { /tags/*/index.xml: rss }` keeps them.
                let same_page = name == "tags" && url == sheaf;
                if same_page && (file == "rss.xml" || file == "index.xml") {
                    kept += 1;
                    if file == "index.xml" {
                        tag_feed_copy = Some(file.clone());
                    }
                } else {
                    lost.push((
                        format!("{url}{file}"),
                        format!("sheaf's feed for `{term}` is `{sheaf}rss.xml`"),
                    ));
                }
            }
        }
    }
    if let Some(file) = tag_feed_copy {
        add_feed_copies(site, vec![format!("/tags/*/{file}")], "rss");
    }
    for (from, to) in redirects {
        add_redirect(site, &from, &to);
    }
    if let Some((file, format, every)) = &rules.section_feed {
        section_feeds(site, file, format, *every, &mut kept, &mut lost);
    }
    site.urls.kept += kept;
    site.urls.lost.extend(lost);
}

fn section_feeds(
    site: &mut Site,
    file: &str,
    format: &'static str,
    every: bool,
    kept: &mut usize,
    lost: &mut Vec<(String, String)>,
) {
    let dated: Vec<&str> = site
        .docs
        .iter()
        .filter(|d| !d.is_section && d.front.get("date").is_some())
        .map(|d| d.dest.as_str())
        .collect();
    let mut copies = Vec::new();
    for doc in site
        .docs
        .iter()
        .filter(|d| d.is_section && d.dest != "_index.md")
    {
        let asked = doc
            .front
            .get("extra")
            .and_then(|e| e.get("generate_feeds").or_else(|| e.get("generate_feed")))
            .and_then(Value::as_bool)
            == Some(true);
        if !every && !asked {
            continue;
        }
        let Some(old) = doc.old_url.as_deref() else {
            continue;
        };
        let url = format!("{old}{file}");
        let dir = format!("{}/", doc.dest_dir());
        if !dated.is_empty() && dated.iter().all(|d| d.starts_with(&dir)) {
            copies.push(url);
            *kept += 1;
        } else if dated.iter().any(|d| d.starts_with(&dir)) {
            lost.push((
                url,
                "a section's feed: sheaf has one site feed (and one per tag), not one per section"
                    .into(),
            ));
        }
    }
    add_feed_copies(site, copies, format);
}

/// Adds a `redirects:` entry to the config being written (an old list URL that sheaf
/// serves at another path) and counts the old URL as redirected.
pub(crate) fn add_redirect(site: &mut Site, from: &str, to: &str) {
    let mut map = match site.config.remove("redirects") {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    map.insert(string(from), string(to));
    site.config.insert(string("redirects"), Value::Mapping(map));
    site.urls.redirected += 1;
}

/// Adds `feeds.copies` entries (`url: format`) to the config being written.
fn add_feed_copies(site: &mut Site, urls: Vec<String>, format: &str) {
    if urls.is_empty() {
        return;
    }
    let mut feeds = match site.config.remove("feeds") {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    let mut map = match feeds.remove("copies") {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    for url in urls {
        map.insert(string(url), string(format));
    }
    feeds.insert(string("copies"), Value::Mapping(map));
    site.config.insert(string("feeds"), Value::Mapping(feeds));
}

/// Hugo's `urlize` for a term: lowercased, blanks to `-`, most punctuation dropped.
pub(crate) fn hugo_term(term: &str) -> String {
    let mut out = String::new();
    for c in term.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '~' | '@') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Doc;

    fn doc(dest: &str, section: bool, tags: &[&str], date: bool) -> Doc {
        let mut d = Doc::new(dest.into(), dest.into(), String::new(), 1);
        d.is_section = section;
        if section {
            d.old_url = Some(super::super::urls::sheaf_path(dest));
        }
        if !tags.is_empty() {
            d.set(
                "tags",
                Value::Sequence(tags.iter().map(|t| string(*t)).collect()),
            );
        }
        if date {
            d.set("date", "2020-01-01");
        }
        d
    }

    #[test]
    fn tags_that_coincide_are_kept_the_rest_listed() {
        let mut site = Site {
            docs: vec![
                doc("_index.md", true, &[], false),
                doc("posts/_index.md", true, &[], false),
                doc("posts/a.md", false, &["Rust", "notes"], true),
                doc("about.md", false, &[], false),
            ],
            ..Site::default()
        };
        site.terms_of("tags", &["Rust".into()]);
        site.terms_of("categories", &["notes".into()]);
        settle(
            &mut site,
            &ListRules {
                taxonomies: vec![
                    ("tags".into(), Some("index.xml".into())),
                    ("categories".into(), None),
                ],
                term_slug: hugo_term,
                section_feed: Some(("index.xml".into(), "rss", true)),
            },
        );
        // /tags/, /tags/rust/, its feed /tags/rust/index.xml (a copy), /posts/index.xml
        assert_eq!(site.urls.kept, 4);
        let lost: Vec<&str> = site.urls.lost.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(lost, ["/tags/index.xml", "/categories/"]);
        // The category's list is the tag's now: a redirect.
        assert_eq!(site.urls.redirected, 1);
        assert_eq!(
            site.config["redirects"]["/categories/notes/"],
            Value::from("/tags/notes/")
        );
        let copies = &site.config["feeds"]["copies"];
        assert_eq!(copies["/posts/index.xml"], Value::from("rss"));
        assert_eq!(copies["/tags/*/index.xml"], Value::from("rss"));
    }
}
