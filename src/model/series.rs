//! Series: pages that name the same `series:` (spellings merged like tags') form an ordered
//! sequence across sections, with a URL slug of their own (`slugs::unique_slugs`).
//!
//! The order rule, one for every series so readers and authors can predict it:
//!
//! 1. by `weight` when every part has one (an author who numbers the parts is obeyed);
//! 2. else by `date` when every part has one, oldest first (part 1 was published first);
//! 3. else by title.
//!
//! A series with some parts weighted or dated and others not falls to the next rule that
//! covers all of them, so adding an undated part never scatters the dated ones. Ties go to
//! the title, then to the page's URL, which is unique: the order never depends on the order
//! in which files were read.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::tags::tag_key;

/// A series on the site and its parts.
#[derive(Debug, Clone)]
pub struct Series {
    /// Case- and space-folded name: `Building habits` and `building  habits` share it.
    pub key: String,
    /// The spelling shown to readers: the first part's.
    pub name: String,
    pub slug: String,
    /// Indices into the site's pages, in the series' order (part 1 first).
    pub pages: Vec<usize>,
    /// The rule that ordered the parts.
    pub order: Order,
}

/// Which rule ordered a series' parts (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Weight,
    Date,
    Title,
}

/// Where every series is listed (written only when the site has a series).
pub(crate) const SERIES_INDEX: &str = "/series/";

/// The site path of a series' index page: `/series/<slug>/`.
pub(crate) fn series_path(slug: &str) -> String {
    format!("{SERIES_INDEX}{slug}/")
}

/// What a page's place in its series is decided by.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PartKey<'a> {
    pub(crate) page: usize,
    pub(crate) name: &'a str,
    pub(crate) weight: Option<i64>,
    pub(crate) date: Option<DateTime<FixedOffset>>,
    pub(crate) title: &'a str,
    /// The page's site path: unique, the last tie-break.
    pub(crate) path: &'a str,
}

/// Groups the pages that name a series into series with unique slugs, sorted by name.
pub(crate) fn collect_series(parts: Vec<PartKey>) -> Vec<Series> {
    let mut groups: Vec<(String, Vec<PartKey>)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for part in parts {
        let key = tag_key(part.name);
        let g = *by_key.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(part);
    }
    let slugs = super::slugs::unique_slugs(groups.iter().map(|(k, _)| k.as_str()), "series");
    let mut series: Vec<Series> = groups
        .into_iter()
        .map(|(key, mut parts)| {
            let order = order_parts(&mut parts);
            Series {
                slug: slugs.get(&key).cloned().unwrap_or_default(),
                name: parts
                    .first()
                    .map(|p| p.name.to_string())
                    .unwrap_or_default(),
                key,
                pages: parts.iter().map(|p| p.page).collect(),
                order,
            }
        })
        .collect();
    series.sort_by(|a, b| a.key.cmp(&b.key));
    series
}

/// Sorts one series' parts by the module's rule and says which rule applied.
pub(crate) fn order_parts(parts: &mut [PartKey]) -> Order {
    let order = if parts.iter().all(|p| p.weight.is_some()) {
        Order::Weight
    } else if parts.iter().all(|p| p.date.is_some()) {
        Order::Date
    } else {
        Order::Title
    };
    parts.sort_by(|a, b| {
        let first = match order {
            Order::Weight => a.weight.cmp(&b.weight),
            Order::Date => a.date.cmp(&b.date),
            Order::Title => std::cmp::Ordering::Equal,
        };
        first
            .then_with(|| a.title.cmp(b.title))
            .then_with(|| a.path.cmp(b.path))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part<'a>(
        page: usize,
        weight: Option<i64>,
        date: Option<&str>,
        title: &'a str,
    ) -> PartKey<'a> {
        PartKey {
            page,
            name: "S",
            weight,
            date: date.map(|d| {
                DateTime::parse_from_rfc3339(&format!("{d}T00:00:00Z")).expect("a test date")
            }),
            title,
            path: ["/a/", "/b/", "/c/", "/d/"][page],
        }
    }

    fn order(mut parts: Vec<PartKey>) -> (Order, Vec<usize>) {
        let rule = order_parts(&mut parts);
        (rule, parts.iter().map(|p| p.page).collect())
    }

    #[test]
    fn weights_win_when_every_part_has_one() {
        let parts = vec![
            part(0, Some(3), Some("2025-01-01"), "A"),
            part(1, Some(1), Some("2025-03-01"), "B"),
            part(2, Some(2), None, "C"),
        ];
        assert_eq!(order(parts), (Order::Weight, vec![1, 2, 0]));
    }

    #[test]
    fn dates_oldest_first_when_a_weight_is_missing() {
        let parts = vec![
            part(0, Some(1), Some("2025-03-01"), "A"),
            part(1, None, Some("2025-01-01"), "B"),
            part(2, Some(2), Some("2025-02-01"), "C"),
        ];
        assert_eq!(order(parts), (Order::Date, vec![1, 2, 0]));
    }

    #[test]
    fn titles_when_neither_covers_every_part() {
        let parts = vec![
            part(0, Some(1), Some("2025-03-01"), "Zebra"),
            part(1, None, None, "Apple"),
            part(2, None, Some("2025-01-01"), "Mango"),
        ];
        assert_eq!(order(parts), (Order::Title, vec![1, 2, 0]));
    }

    #[test]
    fn ties_go_to_the_title_then_the_url_whatever_the_reading_order() {
        let parts = vec![
            part(3, Some(1), None, "Same"),
            part(1, Some(1), None, "Same"),
            part(0, Some(1), None, "Other"),
        ];
        assert_eq!(order(parts.clone()), (Order::Weight, vec![0, 1, 3]));
        let mut reversed = parts;
        reversed.reverse();
        assert_eq!(order(reversed), (Order::Weight, vec![0, 1, 3]));
    }

    /// Spellings of one slug are one series (`tags::tag_key`), so adding a part spelled
    /// another way never moves the series' URL or its feed.
    #[test]
    fn spellings_merge_into_one_series_at_one_url() {
        let mut a = part(0, None, None, "A");
        a.name = "Building Habits";
        let mut b = part(1, None, None, "B");
        b.name = "building   habits";
        let mut c = part(2, None, None, "C");
        c.name = "building-habits";
        let mut d = part(3, None, None, "D");
        d.name = "Other";
        let series = collect_series(vec![b, a, c, d]);
        assert_eq!(series.len(), 2);
        let habits = series.iter().find(|s| s.key == "building habits").unwrap();
        assert_eq!(habits.slug, "building-habits");
        assert_eq!(habits.pages, vec![0, 1, 2]);
        assert_eq!(habits.name, "Building Habits", "the first part's spelling");
        let other = series.iter().find(|s| s.key == "other").unwrap();
        assert_eq!(other.slug, "other");
    }
}
