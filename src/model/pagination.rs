//! How a list (a section, a tag, the home page's latest pages) is split into pages of
//! `paginate_by` entries: `/essays/` is page 1, `/essays/page/2/` the next, and
//! `/essays/page/1/` a redirect to `/essays/`.
//!
//! The model owns the arithmetic so the paths are known before rendering: the link checker
//! finds `/essays/page/2/` (`site_paths.rs`), the preview maps a request for it to its job,
//! and clashes are checked from it.

use std::ops::Range;

use super::Site;

/// A list of `items` entries shown `per_page` at a time (`0`: all on one page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pagination {
    pub(crate) items: usize,
    pub(crate) per_page: usize,
}

impl Pagination {
    /// How many pages the list has: at least one, even when it is empty.
    pub(crate) fn pages(&self) -> usize {
        if self.per_page == 0 || self.items == 0 {
            1
        } else {
            self.items.div_ceil(self.per_page)
        }
    }

    /// The entries on page `number` (1-based) as a range of the list.
    pub(crate) fn range(&self, number: usize) -> Range<usize> {
        if self.per_page == 0 {
            return 0..self.items;
        }
        let start = (number - 1).saturating_mul(self.per_page).min(self.items);
        start..start.saturating_add(self.per_page).min(self.items)
    }

    /// Whether the list is split at all: only then are `page/N/` and the `page/1/`
    /// redirect written.
    pub(crate) fn is_split(&self) -> bool {
        self.pages() > 1
    }
}

/// The site path of page `number` of the list at `list_path` (`/essays/`).
pub(crate) fn pager_path(list_path: &str, number: usize) -> String {
    if number == 1 {
        list_path.to_string()
    } else {
        format!("{list_path}page/{number}/")
    }
}

/// The redirect from `page/1/` to the list itself.
pub(crate) fn first_page_redirect(list_path: &str) -> String {
    format!("{list_path}page/1/")
}

/// Which page of the list at `list_path` the site path `site_path` is: `Some(1)` for the
/// list itself and its `page/1/` redirect, `Some(n)` for `page/n/` within `pages`.
pub(crate) fn pager_number(list_path: &str, pages: usize, site_path: &str) -> Option<usize> {
    if site_path == list_path {
        return Some(1);
    }
    let number = site_path
        .strip_prefix(list_path)?
        .strip_prefix("page/")?
        .strip_suffix('/')?;
    if number.starts_with('0') || number.starts_with('+') {
        return None;
    }
    let number: usize = number.parse().ok()?;
    (number >= 1 && number <= pages && pages > 1).then_some(number)
}

/// The list a site path belongs to: `/essays/` for `/essays/page/3/` (and for itself).
pub(crate) fn list_path_of(site_path: &str) -> &str {
    let Some(rest) = site_path.strip_suffix('/') else {
        return site_path;
    };
    match rest.rsplit_once('/') {
        Some((head, number))
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match head.strip_suffix("page") {
                Some(list) if list.ends_with('/') => list,
                _ => site_path,
            }
        }
        _ => site_path,
    }
}

impl Site {
    /// Section `s`'s list: its pages, or for the home page every dated page, newest first.
    pub(crate) fn section_pagination(&self, s: usize) -> Pagination {
        let items = if s == 0 {
            self.dated_pages().len()
        } else {
            self.sections[s].pages.len()
        };
        Pagination {
            items,
            per_page: self.sections[s].paginate_by,
        }
    }

    /// Series `s`'s index (its parts in order), split by the site's `paginate_by`.
    pub(crate) fn series_pagination(&self, s: usize) -> Pagination {
        Pagination {
            items: self.series[s].pages.len(),
            per_page: self.config.paginate_by,
        }
    }

    /// Tag `t`'s list, split by the site's `paginate_by`.
    pub(crate) fn tag_pagination(&self, t: usize) -> Pagination {
        Pagination {
            items: self.tags[t].pages.len(),
            per_page: self.config.paginate_by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_five_entries_by_ten_make_five_pages_the_last_with_five() {
        let list = Pagination {
            items: 45,
            per_page: 10,
        };
        assert_eq!(list.pages(), 5);
        assert_eq!(list.range(1), 0..10);
        assert_eq!(list.range(5), 40..45);
        assert!(list.is_split());
    }

    #[test]
    fn an_empty_list_and_a_list_not_split_have_one_page() {
        for (items, per_page) in [(0, 10), (10, 10), (7, 0), (0, 0)] {
            let list = Pagination { items, per_page };
            assert_eq!(list.pages(), 1, "{items} by {per_page}");
            assert_eq!(list.range(1), 0..items);
            assert!(!list.is_split());
        }
    }

    #[test]
    fn page_numbers_are_read_only_from_the_paths_the_build_writes() {
        assert_eq!(pager_number("/essays/", 5, "/essays/"), Some(1));
        assert_eq!(pager_number("/essays/", 5, "/essays/page/1/"), Some(1));
        assert_eq!(pager_number("/essays/", 5, "/essays/page/5/"), Some(5));
        for path in [
            "/essays/page/6/",
            "/essays/page/0/",
            "/essays/page/05/",
            "/essays/page/+5/",
            "/essays/page/5",
            "/essays/page/",
            "/other/page/2/",
            "/essays/page/99999999999999999999999/",
        ] {
            assert_eq!(pager_number("/essays/", 5, path), None, "{path}");
        }
        assert_eq!(pager_number("/essays/", 1, "/essays/page/1/"), None);
    }

    #[test]
    fn a_pager_path_belongs_to_its_list() {
        assert_eq!(list_path_of("/essays/page/3/"), "/essays/");
        assert_eq!(list_path_of("/page/2/"), "/");
        assert_eq!(list_path_of("/tags/rust/page/10/"), "/tags/rust/");
        for path in [
            "/essays/",
            "/essays/page/",
            "/essays/page/x/",
            "/essays/mypage/2/",
            "/",
        ] {
            assert_eq!(list_path_of(path), path);
        }
    }

    #[test]
    fn a_huge_page_size_does_not_overflow() {
        let list = Pagination {
            items: 3,
            per_page: usize::MAX,
        };
        assert_eq!(list.pages(), 1);
        assert_eq!(list.range(1), 0..3);
    }
}
