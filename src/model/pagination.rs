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

    /// Whether `page/1/` is written (a redirect to the list): whenever the list is
    /// paginated, split or not yet, so a link to it keeps working while a list shrinks
    /// to one page or before it grows to two. `paginate_by: 0` writes none.
    pub(crate) fn has_first_page_redirect(&self) -> bool {
        self.per_page > 0
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
/// list itself and its `page/1/` redirect, `Some(n)` for `page/n/` within the list's pages.
pub(crate) fn pager_number(list_path: &str, list: Pagination, site_path: &str) -> Option<usize> {
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
    let exists = match number {
        1 => list.has_first_page_redirect(),
        n => n <= list.pages(),
    };
    exists.then_some(number)
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
    }

    #[test]
    fn an_empty_list_and_a_list_not_split_have_one_page() {
        for (items, per_page) in [(0, 10), (10, 10), (7, 0), (0, 0)] {
            let list = Pagination { items, per_page };
            assert_eq!(list.pages(), 1, "{items} by {per_page}");
            assert_eq!(list.range(1), 0..items);
            assert_eq!(list.has_first_page_redirect(), per_page > 0);
        }
    }

    #[test]
    fn page_numbers_are_read_only_from_the_paths_the_build_writes() {
        let five = Pagination {
            items: 45,
            per_page: 10,
        };
        assert_eq!(pager_number("/essays/", five, "/essays/"), Some(1));
        assert_eq!(pager_number("/essays/", five, "/essays/page/1/"), Some(1));
        assert_eq!(pager_number("/essays/", five, "/essays/page/5/"), Some(5));
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
            assert_eq!(pager_number("/essays/", five, path), None, "{path}");
        }
        // One page: `page/1/` still redirects, unless the list is not paginated at all.
        let one = Pagination {
            items: 7,
            per_page: 10,
        };
        assert_eq!(pager_number("/essays/", one, "/essays/page/1/"), Some(1));
        assert_eq!(pager_number("/essays/", one, "/essays/page/2/"), None);
        let all = Pagination {
            items: 45,
            per_page: 0,
        };
        assert_eq!(pager_number("/essays/", all, "/essays/page/1/"), None);
        assert_eq!(pager_number("/essays/", all, "/essays/"), Some(1));
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
