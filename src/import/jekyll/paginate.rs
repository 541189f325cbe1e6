//! jekyll-paginate's list pages: with `paginate: N`, the home page's posts continue at
//! `paginate_path` (`/page:num/` unless set: `/page2/`, `/page3/`, …). sheaf writes its home
//! list's later pages at `/page/2/`, so those old URLs cannot be kept by a page; each is
//! reported lost with the page that lists the same posts now.

use super::super::keys::{boolean, integer};
use super::super::model::Site;
use crate::yaml::{Mapping, Value};

/// Lists the old list pages 2..N as lost, N from the published posts and `paginate`.
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
        site.urls.lost.push((
            old,
            format!("page {n} of the home list (jekyll-paginate); sheaf's is `/page/{n}/`"),
        ));
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
    fn later_list_pages_are_listed_lost_with_sheafs_address() {
        let mut site = site_with_posts(5);
        old_list_pages(&config("paginate: 2\n"), &mut site);
        let lost: Vec<&str> = site.urls.lost.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(lost, ["/page2/", "/page3/"]);
        assert!(site.urls.lost[0].1.contains("`/page/2/`"));
        let mut site = site_with_posts(4);
        old_list_pages(
            &config("paginate: 2\npaginate_path: blog/p:num.html\n"),
            &mut site,
        );
        let lost: Vec<&str> = site.urls.lost.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(lost, ["/blog/p2.html"]);
        let mut site = site_with_posts(4);
        old_list_pages(&config("title: no paging\n"), &mut site);
        assert!(site.urls.lost.is_empty());
    }
}
