use super::*;

/// A site as plain data: each page's tags and date; titles and paths made from the index.
struct Plain {
    tags: Vec<Vec<usize>>,
    dates: Vec<Option<i64>>,
    titles: Vec<String>,
    paths: Vec<String>,
    /// Each tag's pages, newest first (as the model keeps them).
    by_tag: Vec<Vec<usize>>,
}

impl Plain {
    fn new(pages: &[(&[usize], Option<i64>)]) -> Plain {
        Plain::with_titles(pages, |p| format!("Page {p:05}"))
    }

    fn with_titles(pages: &[(&[usize], Option<i64>)], title: impl Fn(usize) -> String) -> Plain {
        let tags: Vec<Vec<usize>> = pages.iter().map(|(t, _)| t.to_vec()).collect();
        let dates: Vec<Option<i64>> = pages.iter().map(|(_, d)| *d).collect();
        let n_tags = tags.iter().flatten().max().map_or(0, |t| t + 1);
        let mut newest_first: Vec<usize> = (0..pages.len()).collect();
        newest_first.sort_by(|&a, &b| dates[b].cmp(&dates[a]).then(a.cmp(&b)));
        let mut by_tag = vec![Vec::new(); n_tags];
        for &p in &newest_first {
            for &t in &tags[p] {
                by_tag[t].push(p);
            }
        }
        Plain {
            titles: (0..pages.len()).map(title).collect(),
            paths: (0..pages.len()).map(|p| format!("/p/{p}/")).collect(),
            tags,
            dates,
            by_tag,
        }
    }

    fn related(&self, p: usize) -> Vec<usize> {
        related(self, p, 3, &boosts(self), &mut 0)
    }
}

impl Corpus for Plain {
    fn pages(&self) -> usize {
        self.tags.len()
    }
    fn tags_of(&self, p: usize) -> &[usize] {
        &self.tags[p]
    }
    fn pages_of(&self, t: usize) -> &[usize] {
        &self.by_tag[t]
    }
    fn date(&self, p: usize) -> Option<i64> {
        self.dates[p]
    }
    fn title(&self, p: usize) -> &str {
        &self.titles[p]
    }
    fn path(&self, p: usize) -> &str {
        &self.paths[p]
    }
    fn date_range(&self) -> Option<(i64, i64)> {
        let dated = self.dates.iter().flatten();
        Some((*dated.clone().min()?, *dated.max()?))
    }
}

const DAY: i64 = 86_400;

#[test]
fn one_rare_tag_beats_two_common_ones() {
    // Tag 0 is on pages 0 and 1 only; tags 1 and 2 are on every page.
    let mut pages: Vec<(&[usize], Option<i64>)> = vec![(&[0, 1, 2], Some(0)), (&[0], Some(0))];
    pages.extend((0..40).map(|_| (&[1, 2][..], Some(0))));
    let site = Plain::new(&pages);
    assert_eq!(site.related(0)[0], 1, "{:?}", site.related(0));
}

#[test]
fn a_shared_common_tag_still_relates_pages() {
    // Sharing something is better than nothing: two common tags beat one common tag.
    let mut pages: Vec<(&[usize], Option<i64>)> = vec![(&[1, 2], Some(0)), (&[1, 2], Some(0))];
    pages.extend((0..40).map(|_| (&[1][..], Some(DAY))));
    pages.push((&[2], Some(DAY)));
    let site = Plain::new(&pages);
    assert_eq!(site.related(0)[0], 1, "{:?}", site.related(0));
}

#[test]
fn recency_breaks_near_ties_but_not_rarity() {
    // Pages 1 and 2 share the same tag with page 0; page 2 is newer.
    let site = Plain::new(&[
        (&[0], Some(0)),
        (&[0], Some(DAY)),
        (&[0], Some(100 * DAY)),
        (&[1], Some(50 * DAY)),
    ]);
    assert_eq!(site.related(0), vec![2, 1]);
    // A newer page sharing a common tag does not beat an old one sharing a rare tag.
    let mut pages: Vec<(&[usize], Option<i64>)> = vec![(&[0, 1], Some(0)), (&[0], Some(0))];
    pages.extend((0..20).map(|_| (&[1][..], Some(1000 * DAY))));
    let site = Plain::new(&pages);
    assert_eq!(site.related(0)[0], 1);
    // An undated page gets no boost.
    let site = Plain::new(&[(&[0], Some(0)), (&[0], None), (&[0], Some(0))]);
    assert_eq!(site.related(0), vec![2, 1]);
}

#[test]
fn never_itself_and_never_an_unrelated_page() {
    let site = Plain::new(&[
        (&[0], Some(0)),
        (&[0], Some(0)),
        (&[1], Some(0)),
        (&[], Some(0)),
    ]);
    assert_eq!(site.related(0), vec![1]);
    assert_eq!(site.related(1), vec![0]);
    // A tag of its own and no tags at all: no list, not a padded one.
    assert!(site.related(2).is_empty());
    assert!(site.related(3).is_empty());
    assert!(
        related(&site, 0, 0, &boosts(&site), &mut 0).is_empty(),
        "limit 0 is off"
    );
}

#[test]
fn ties_go_to_date_then_title_then_path_whatever_the_input_order() {
    // Five pages tied on tags and date: title order decides, whatever their indices.
    let pages: Vec<(&[usize], Option<i64>)> = (0..6).map(|_| (&[0][..], Some(0))).collect();
    let titles = ["Z", "E", "B", "D", "A", "C"];
    let site = Plain::with_titles(&pages, |p| titles[p].to_string());
    assert_eq!(site.related(0), vec![4, 2, 5]);
    // Same titles: the path decides; and the answer never changes between calls.
    let site = Plain::with_titles(&pages, |_| "Same".into());
    assert_eq!(site.related(3), vec![0, 1, 2]);
    assert_eq!(site.related(3), site.related(3));
}

#[test]
fn lists_are_made_once_and_kept() {
    let site = Plain::new(&[(&[0], Some(0)), (&[0], Some(DAY))]);
    let lists = Related::new(2, 3);
    assert_eq!(lists.of(&site, 0), &[1]);
    assert_eq!(lists.of(&site, 1), &[0]);
    assert!(lists.of(&site, 7).is_empty(), "no page, no list, no panic");
}

/// 10,000 pages with a realistic spread of tags (a few on nearly every page, many rare):
/// scoring every page visits at most `MAX_TAGS × PER_TAG` candidates per page, and in
/// total far fewer than comparing every pair would.
#[test]
fn ten_thousand_pages_take_bounded_work() {
    const N: usize = 10_000;
    // Page p: tag 0 (everywhere), tag 1 + p % 3 (a third each), tag 4 + p % 200, tag
    // 204 + p % 2000 (five pages each), and twenty tags of a long tail on every 100th page.
    let tail: Vec<usize> = (2204..2224).collect();
    let tags: Vec<Vec<usize>> = (0..N)
        .map(|p| {
            let mut t = vec![0, 1 + p % 3, 4 + p % 200, 204 + p % 2000];
            if p % 100 == 0 {
                t.extend(&tail);
            }
            t
        })
        .collect();
    let pages: Vec<(&[usize], Option<i64>)> = tags
        .iter()
        .enumerate()
        .map(|(p, t)| (t.as_slice(), Some(p as i64 * 3600)))
        .collect();
    let site = Plain::new(&pages);
    let boosts = boosts(&site);
    let mut total = 0;
    for p in 0..N {
        let mut visits = 0;
        let list = related(&site, p, 3, &boosts, &mut visits);
        assert!(visits <= MAX_TAGS * PER_TAG, "page {p}: {visits} visits");
        assert_eq!(list.len(), 3);
        assert!(!list.contains(&p));
        total += visits;
    }
    assert!(total <= N * MAX_TAGS * PER_TAG);
    // Well under a tenth of the N² / 2 pairs.
    assert!(total < N * N / 20, "{total} visits");
    // The five pages that share the rarest tag come first.
    let first = related(&site, 5, 3, &boosts, &mut 0);
    assert!(first.iter().all(|q| q % 2000 == 5), "{first:?}");
}
