//! Keeping old URLs: each page's old URL against the URL sheaf gives it, settled with
//! `path:` (same URL), an alias (a redirect page at the old file URL) or a report line.

use super::model::{Doc, Site, string};
use crate::slug::slugify;
use crate::yaml::Value;

/// The site path sheaf gives a document written at `dest` (content-relative), by the
/// rule of `model::work_out_page_path`: folders and the file stem slugified, a bundle's
/// `index.md` named by its folder, `_index.md` the folder itself.
pub(crate) fn sheaf_path(dest: &str) -> String {
    let (dir, name) = dest.rsplit_once('/').unwrap_or(("", dest));
    let stem = name.trim_end_matches(".md");
    let mut path = String::from("/");
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    match stem {
        "_index" => {}
        "index" if !segments.is_empty() => {}
        _ => segments.push(stem),
    }
    for segment in segments {
        path.push_str(&slugify(segment));
        path.push('/');
    }
    path
}

/// Whether `path` is a site path sheaf takes for `path:` and `aliases:`: starts with `/`,
/// segments of ASCII letters, digits, `-`, `_` and `.`.
pub(crate) fn is_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains("//")
        && path.split('/').all(|s| {
            s != ".."
                && s != "."
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
}

/// An old URL as a site path: query and fragment dropped, percent-escapes decoded,
/// a leading `/` added.
pub(crate) fn clean(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    if decoded.starts_with('/') {
        decoded.into_owned()
    } else {
        format!("/{decoded}")
    }
}

/// The folder URL for a file URL: `/a/b.html` → `/a/b/`, `/a/index.html` → `/a/`.
fn folder_of(file_url: &str) -> String {
    let (dir, name) = file_url.rsplit_once('/').unwrap_or(("", file_url));
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if stem == "index" || stem.is_empty() {
        format!("{dir}/")
    } else {
        format!("{dir}/{stem}/")
    }
}

/// Decides `path:`, `aliases:` and `feed_id:` for every document and counts old URLs.
/// `absolute` makes a site path absolute on the old site (for `feed_id`).
pub(crate) fn settle(site: &mut Site, absolute: &dyn Fn(&str) -> String) {
    let mut docs = std::mem::take(&mut site.docs);
    for doc in &mut docs {
        settle_doc(doc, site, absolute);
    }
    site.docs = docs;
}

fn settle_doc(doc: &mut Doc, site: &mut Site, absolute: &dyn Fn(&str) -> String) {
    let shown = doc.source.display().to_string();
    let own = sheaf_path(&doc.dest);
    let mut aliases: Vec<String> = Vec::new();
    if let Some(old) = doc.old_url.clone() {
        let is_file = !old.ends_with('/');
        let target = if is_file {
            folder_of(&old)
        } else {
            old.clone()
        };
        if doc.is_section {
            // A section's URL is its folder's: an old list URL elsewhere redirects to it.
            if target == own {
                site.urls.kept += 1;
            } else if is_site_path(&target) {
                aliases.push(if is_file { old.clone() } else { target.clone() });
                site.urls.redirected += 1;
            } else {
                site.urls.lost.push((
                    old.clone(),
                    format!("section `{shown}` is at `{own}` in sheaf"),
                ));
            }
        } else if !is_site_path(&target) {
            site.urls.lost.push((
                old.clone(),
                format!("`{shown}` keeps `{own}`: the old URL has characters sheaf paths do not"),
            ));
        } else {
            if target != own {
                doc.set("path", target.clone());
            }
            let index_file = old.ends_with("/index.html");
            if is_file && !index_file {
                aliases.push(old.clone());
                site.urls.redirected += 1;
                if doc.front.get("feed_id").is_none() {
                    doc.set("feed_id", absolute(&old));
                }
            } else {
                site.urls.kept += 1;
            }
        }
    }
    for alias in std::mem::take(&mut doc.old_aliases) {
        let alias = clean(&alias);
        if !is_site_path(&alias) {
            site.urls.lost.push((
                alias,
                "an alias with characters sheaf paths do not take".into(),
            ));
        } else if !aliases.contains(&alias) {
            aliases.push(alias);
            site.urls.redirected += 1;
        }
    }
    if !aliases.is_empty() {
        doc.set(
            "aliases",
            Value::Sequence(aliases.into_iter().map(string).collect()),
        );
    }
}

/// A relative link from a document in content folder `from_dir` to the content file `to`
/// (`blog` and `about.md` → `../about.md`).
pub(crate) fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Doc;

    #[test]
    fn sheaf_paths_like_the_model() {
        assert_eq!(sheaf_path("blog/My Post.md"), "/blog/my-post/");
        assert_eq!(sheaf_path("blog/foo/index.md"), "/blog/foo/");
        assert_eq!(sheaf_path("blog/_index.md"), "/blog/");
        assert_eq!(sheaf_path("_index.md"), "/");
        assert_eq!(sheaf_path("about.md"), "/about/");
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative("blog", "about.md"), "../about.md");
        assert_eq!(relative("", "blog/a.md"), "blog/a.md");
        assert_eq!(relative("blog/x", "blog/y/index.md"), "../y/index.md");
        assert_eq!(relative("blog", "blog/b.md"), "b.md");
    }

    fn settled(dest: &str, old: &str) -> Doc {
        let mut site = Site::default();
        let mut doc = Doc::new("s.md".into(), dest.into(), String::new(), 1);
        doc.old_url = Some(old.into());
        site.docs.push(doc);
        settle(&mut site, &|p| format!("https://old.example{p}"));
        site.docs.pop().unwrap()
    }

    #[test]
    fn folder_urls_keep_file_urls_redirect() {
        let same = settled("blog/x.md", "/blog/x/");
        assert!(same.front.get("path").is_none());
        let kept = settled("posts/x.md", "/2020/05/01/x/");
        assert_eq!(kept.get_str("path"), Some("/2020/05/01/x/"));
        assert!(kept.front.get("aliases").is_none());
        let file = settled("posts/x.md", "/2020/05/01/x.html");
        assert_eq!(file.get_str("path"), Some("/2020/05/01/x/"));
        assert_eq!(file.front["aliases"][0], Value::from("/2020/05/01/x.html"));
        assert_eq!(
            file.get_str("feed_id"),
            Some("https://old.example/2020/05/01/x.html")
        );
        let about = settled("about.md", "/about.html");
        assert!(about.front.get("path").is_none());
        assert_eq!(about.front["aliases"][0], Value::from("/about.html"));
    }

    #[test]
    fn site_paths() {
        assert!(is_site_path("/a/b_c/d.html"));
        assert!(!is_site_path("/a b/"));
        assert!(!is_site_path("/a/../b/"));
        assert_eq!(clean("/caf%C3%A9/?x=1#y"), "/café/");
    }
}
