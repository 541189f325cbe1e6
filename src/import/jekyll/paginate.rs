//! jekyll-paginate's list pages: with `paginate: N`, the home page's posts continue at
//! `paginate_path` (`/page:num/` unless set: `/page2/`, `/page3/`, …). sheaf writes its home
//! list's later pages at `/page/2/`, so each old URL becomes a `redirects:` entry to the
//! page that lists the same posts now (the importer keeps the page size).

use super::super::keys::{boolean, integer};
use super::super::model::Site;
use crate::yaml::{Mapping, Value};

/// Redirects the old list pages 2..N, N from the published posts and `paginate`.
pub(super) fn old_list_pages(config: &Mapping, site: &mut Site) {
    let Some(per) = config.get("paginate").and_then(integer).filter(|n| *n > 0) else {
        return;
    };
    let pattern = config
        .get("paginate_path")
        .and_then(Value::as_str)
        .filter(|p| p.contains(":num"))
        .unwrap_or("/page:num/");
    let posts = site
        .docs
        .iter()
        .filter(|d| !d.is_section && d.dest.starts_with("posts/"))
        .filter(|d| d.front.get("draft").and_then(boolean) != Some(true))
        .count();
    let per = usize::try_from(per).unwrap_or(usize::MAX);
    let pages = posts.div_ceil(per);
    for n in 2..=pages {
        let old = pattern.replace(":num", &n.to_string());
        let old = if old.starts_with('/') {
            old
        } else {
            format!("/{old}")
        };
        let old = if old.ends_with('/') || old.ends_with(".html") {
            old
        } else {
            format!("{old}/")
        };
        if old.ends_with('/') || old.ends_with(".html") {
            // The same posts, in the same order and page size: sheaf's page of the list.
            super::super::lists::add_redirect(site, &old, &format!("/page/{n}/"));
        } else {
            site.urls.lost.push((
                old,
                format!("page {n} of the home list (jekyll-paginate); sheaf's is `/page/{n}/`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Doc;

    fn site_with_posts(n: usize) -> Site {
        let mut site = Site::default();
        for i in 0..n {
            site.docs.push(Doc::new(
                format!("_posts/2020-01-0{i}-p.md").into(),
                format!("posts/p{i}.md"),
                String::new(),
                1,
            ));
        }
        let mut draft = Doc::new("_drafts/d.md".into(), "posts/d.md".into(), String::new(), 1);
        draft.set("draft", true);
        site.docs.push(draft);
        site
    }

    fn config(yaml: &str) -> Mapping {
        match crate::yaml::from_str_all::<Value>(yaml) {
            Ok(Value::Mapping(m)) => m,
            _ => panic!("not a map: {yaml}"),
        }
    }

    #[test]
    fn later_list_pages_redirect_to_sheafs() {
        let redirects = |site: &Site| -> Vec<(String, String)> {
            match site.config.get("redirects") {
                Some(Value::Mapping(m)) => m
                    .iter()
                    .map(|(k, v)| (k.as_str().unwrap().into(), v.as_str().unwrap().into()))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut site = site_with_posts(5);
        old_list_pages(&config("paginate: 2\n"), &mut site);
        assert_eq!(
            redirects(&site),
            [
                ("/page2/".to_string(), "/page/2/".to_string()),
                ("/page3/".to_string(), "/page/3/".to_string())
            ]
        );
        assert_eq!(site.urls.redirected, 2);
        let mut site = site_with_posts(4);
        old_list_pages(
            &config("paginate: 2\npaginate_path: blog/p:num.html\n"),
            &mut site,
        );
        assert_eq!(
            redirects(&site),
            [("/blog/p2.html".to_string(), "/page/2/".to_string())]
        );
        let mut site = site_with_posts(4);
        old_list_pages(&config("title: no paging\n"), &mut site);
        assert!(redirects(&site).is_empty() && site.urls.lost.is_empty());
    }
}
