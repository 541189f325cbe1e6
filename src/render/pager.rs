//! The numbers a list's pager shows (`paginator.number_pagers`): page 1, the last page
//! and a window around the current one, with gaps, marked for the narrower pager a phone
//! shows. Arithmetic only; `paginate.rs` turns it into the template's values.

use std::collections::HashSet;

/// How many numbered links stand on each side of the current page; the first and the last
/// page are always linked, so a pager of 500 pages stays eight links wide.
const WINDOW: usize = 2;

/// One entry of a pager, with what a phone does with it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum PagerEntry {
    /// A page number; `far` when a phone leaves it out.
    Number { number: usize, far: bool },
    /// `…` where numbers are left out: `far` when a phone leaves it out, `narrow` when
    /// only a phone shows it (standing for numbers only the phone leaves out).
    Gap { far: bool, narrow: bool },
}

/// The pager of page `current` of `total`: the numbers and gaps of a window of
/// [`WINDOW`] around the current page, marked so that a phone shows those of a window of
/// one instead. What a phone leaves out is always marked by a `…` there too: hiding the
/// two far numbers alone turned `1 2 3 4 5 6 … 500` into `1 3 4 5 … 500`, a gap unmarked.
pub(super) fn pager_entries(current: usize, total: usize) -> Vec<PagerEntry> {
    let narrow = number_pagers(current, total, WINDOW - 1);
    let on_phone: HashSet<usize> = narrow.iter().flatten().copied().collect();
    // The numbers after which a phone shows a gap.
    let gap_after: HashSet<usize> = narrow
        .windows(2)
        .filter_map(|pair| match pair {
            [Some(number), None] => Some(*number),
            _ => None,
        })
        .collect();
    let mut entries = Vec::new();
    // Whether the phone's gap after its last number is still to be shown.
    let mut phone_gap_due = false;
    for entry in number_pagers(current, total, WINDOW) {
        match entry {
            Some(number) if on_phone.contains(&number) => {
                phone_gap_due = gap_after.contains(&number);
                entries.push(PagerEntry::Number { number, far: false });
            }
            Some(number) => {
                if std::mem::take(&mut phone_gap_due) {
                    entries.push(PagerEntry::Gap {
                        far: false,
                        narrow: true,
                    });
                }
                entries.push(PagerEntry::Number { number, far: true });
            }
            None => entries.push(PagerEntry::Gap {
                far: !std::mem::take(&mut phone_gap_due),
                narrow: false,
            }),
        }
    }
    entries
}

/// The page numbers a pager shows, `None` standing for a gap: the first, the last, and
/// `window` on each side of `current`. A gap of a single page shows that page instead.
fn number_pagers(current: usize, total: usize, window: usize) -> Vec<Option<usize>> {
    let low = current.saturating_sub(window).max(1);
    let high = (current + window).min(total);
    let mut numbers = vec![1];
    numbers.extend(low..=high);
    numbers.push(total);
    numbers.sort_unstable();
    numbers.dedup();
    let mut shown = Vec::with_capacity(numbers.len() + 2);
    for (i, &n) in numbers.iter().enumerate() {
        if let Some(&before) = i.checked_sub(1).and_then(|j| numbers.get(j)) {
            match n - before {
                1 => {}
                2 => shown.push(Some(before + 1)),
                _ => shown.push(None),
            }
        }
        shown.push(Some(n));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::{PagerEntry, WINDOW, number_pagers, pager_entries};

    fn shown(current: usize, total: usize) -> String {
        number_pagers(current, total, WINDOW)
            .into_iter()
            .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The pager as a wide screen and as a phone show it.
    fn seen(current: usize, total: usize) -> (String, String) {
        let (mut wide, mut phone) = (Vec::new(), Vec::new());
        for entry in pager_entries(current, total) {
            let (text, on_wide, on_phone) = match entry {
                PagerEntry::Number { number, far } => (number.to_string(), true, !far),
                PagerEntry::Gap { far, narrow } => ("…".to_string(), !narrow, !far),
            };
            if on_wide {
                wide.push(text.clone());
            }
            if on_phone {
                phone.push(text);
            }
        }
        (wide.join(" "), phone.join(" "))
    }

    /// Regression (found by a review): a phone hid the two far numbers and nothing stood
    /// for them, so `1 3 4 5 … 500` skipped page 2 without a gap.
    #[test]
    fn a_phone_shows_a_window_of_one_with_every_gap_marked() {
        let cases = [
            ((4, 500), ("1 2 3 4 5 6 … 500", "1 2 3 4 5 … 500")),
            ((5, 10), ("1 2 3 4 5 6 7 … 10", "1 … 4 5 6 … 10")),
            (
                (250, 500),
                ("1 … 248 249 250 251 252 … 500", "1 … 249 250 251 … 500"),
            ),
            ((1, 500), ("1 2 3 … 500", "1 2 … 500")),
            ((500, 500), ("1 … 498 499 500", "1 … 499 500")),
            ((4, 7), ("1 2 3 4 5 6 7", "1 2 3 4 5 6 7")),
            ((1, 1), ("1", "1")),
        ];
        for ((current, total), (wide, phone)) in cases {
            let (seen_wide, seen_phone) = seen(current, total);
            assert_eq!(seen_wide, wide, "{current} of {total}, wide");
            assert_eq!(seen_phone, phone, "{current} of {total}, phone");
            assert_eq!(seen_wide, shown(current, total));
        }
        // Never more than seven on a phone, and never two gaps side by side.
        for total in 1..=40 {
            for current in 1..=total {
                let (_, phone) = seen(current, total);
                assert!(phone.split(' ').count() <= 7, "{current}/{total}: {phone}");
                assert!(!phone.contains("… …"), "{current}/{total}: {phone}");
            }
        }
    }

    #[test]
    fn a_short_list_shows_every_page() {
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(2, 5), "1 2 3 4 5");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
    }

    #[test]
    fn a_long_list_shows_the_ends_and_a_window_around_the_current_page() {
        assert_eq!(shown(1, 500), "1 2 3 … 500");
        assert_eq!(shown(250, 500), "1 … 248 249 250 251 252 … 500");
        assert_eq!(shown(500, 500), "1 … 498 499 500");
        // A gap of one page is that page, not an ellipsis standing for one number.
        assert_eq!(shown(5, 500), "1 2 3 4 5 6 7 … 500");
    }

    #[test]
    fn the_pager_stays_small_at_any_length() {
        for total in [1, 2, 9, 10, 11, 500, 100_000] {
            for current in [1, 2, total / 2 + 1, total - 1, total] {
                let current = current.clamp(1, total);
                let numbers = number_pagers(current, total, WINDOW);
                assert!(numbers.len() <= 2 * WINDOW + 5, "{current}/{total}");
                assert!(numbers.contains(&Some(current)));
                assert_eq!(numbers.first(), Some(&Some(1)));
                assert_eq!(numbers.last(), Some(&Some(total)));
            }
        }
    }
}
