//! Related reading: for each page, the few other pages that share the most telling tags.
//!
//! **Score.** A candidate's score is the sum, over the tags it shares with the page, of the
//! tag's weight `ln(1 + N / n)` (`N` pages on the site, `n` pages with the tag: an IDF-like
//! weight, so a tag on 3 pages says more than one on 3,000, and every shared tag says
//! something), times a mild recency boost of up to 10% (`1 + 0.1 × r`, `r` the candidate's
//! date placed between the site's oldest (0) and newest (1) dated page; no date, no boost).
//! Weights are fixed-point integers, so equal sums are exactly equal whatever the order of
//! addition and the order is the same on every machine. Ties go to the newer page (an
//! undated page after every dated one), then the title, then the site path.
//!
//! **Who.** Every page of the model gets a list, worksheets included, and every page is a
//! candidate; never the page itself. Drafts are only in the model when the build includes
//! them. A page that shares no tag with another gets an empty list: nothing unrelated is
//! added to fill it.
//!
//! **Cost: near-linear over the site.** A page considers at most [`MAX_TAGS`] of its tags
//! (the rarest: the others would add little), and of each tag at most its [`PER_TAG`] newest
//! pages (a tag's pages are kept newest first), so one page visits at most
//! `MAX_TAGS × PER_TAG` candidates, however large the site. A tag on more pages than that is
//! common: its weight is low, and only its newest pages are credited with it. Picking the
//! considered tags is linear in the page's tags (`select_nth_unstable`); the visits are
//! summed in a slot per page that the thread reuses (zeroing only the slots it touched), and
//! picking the best few is linear. The whole site therefore costs
//! `O(Σ tags per page + N × MAX_TAGS × PER_TAG)`: linear in the site, never the
//! `N²` of comparing every pair. `tests::ten_thousand_pages_take_bounded_work` counts it.
//!
//! **When.** Lists are made lazily, one page at a time, and kept with the model: the live
//! preview's first step makes only the open page's list, and `model::patch` (an edit that
//! leaves front matter alone) keeps the model and with it every list made so far. Tags,
//! dates, titles and paths, all a list depends on, are front matter.

use std::cell::RefCell;
use std::sync::OnceLock;

/// At most this many of a page's tags are considered: its rarest.
pub(crate) const MAX_TAGS: usize = 16;

/// At most this many pages of one tag are visited: its newest.
pub(crate) const PER_TAG: usize = 100;

/// The largest recency boost, in thousandths of the score (10%).
const RECENCY_BOOST: i128 = 100;

/// Fixed-point scale of tag weights.
const WEIGHT_SCALE: f64 = 1_000_000.0;

/// What scoring reads of a site: pages with their tags, tags with their pages (newest
/// first), and what orders ties. The model implements it; tests implement it on plain data.
pub(crate) trait Corpus {
    /// How many pages there are (indices `0..n`).
    fn pages(&self) -> usize;
    /// The tags of page `p`.
    fn tags_of(&self, p: usize) -> &[usize];
    /// The pages of tag `t`, newest first.
    fn pages_of(&self, t: usize) -> &[usize];
    /// Page `p`'s date as a Unix timestamp.
    fn date(&self, p: usize) -> Option<i64>;
    fn title(&self, p: usize) -> &str;
    fn path(&self, p: usize) -> &str;
    /// The oldest and newest dates of the site's pages.
    fn date_range(&self) -> Option<(i64, i64)>;
}

/// A thread's running sums, one slot per page, reused from page to page: summing a page's
/// few hundred visits into slots is linear, where sorting them was most of its cost.
#[derive(Default)]
struct Scratch {
    /// Summed weight per candidate (every weight is at least ln 2, so 0 is "not visited").
    sums: Vec<u64>,
    /// The candidates visited, in first-visit order.
    seen: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Every page's related list, each made when first asked for.
#[derive(Debug, Default)]
pub(crate) struct Related {
    lists: Vec<OnceLock<Box<[usize]>>>,
    /// How many pages a list may hold (`0`: related reading is off).
    limit: usize,
    /// Every page's recency boost, made with the first list: one per page, not one per visit.
    boosts: OnceLock<Box<[u16]>>,
}

impl Related {
    /// Room for the lists of `pages` pages, each at most `limit` long.
    pub(crate) fn new(pages: usize, limit: usize) -> Self {
        Related {
            lists: (0..pages).map(|_| OnceLock::new()).collect(),
            limit,
            boosts: OnceLock::new(),
        }
    }

    /// Page `p`'s related pages, best first (empty for a page out of range).
    pub(crate) fn of(&self, corpus: &impl Corpus, p: usize) -> &[usize] {
        match self.lists.get(p) {
            Some(list) => list.get_or_init(|| {
                let boosts = self.boosts.get_or_init(|| boosts(corpus));
                related(corpus, p, self.limit, boosts, &mut 0).into()
            }),
            None => &[],
        }
    }
}

/// Every page's related list made anew (not kept), in parallel, with the candidates visited:
/// for `benches/related.rs`, which times it on a large site.
pub fn all_anew(site: &super::Site) -> (Vec<Vec<usize>>, usize) {
    use rayon::prelude::*;
    let limit = site.config.related.shown();
    let boosts = boosts(site);
    let lists: Vec<(Vec<usize>, usize)> = (0..site.pages.len())
        .into_par_iter()
        .map(|p| {
            let mut visits = 0;
            (related(site, p, limit, &boosts, &mut visits), visits)
        })
        .collect();
    let visits = lists.iter().map(|(_, v)| v).sum();
    (lists.into_iter().map(|(l, _)| l).collect(), visits)
}

/// Page `p`'s related pages, at most `limit`, best first; `boosts` is [`boosts`] of the
/// corpus; `visits` counts the candidates looked at (the work the module comment bounds).
pub(crate) fn related(
    corpus: &impl Corpus,
    p: usize,
    limit: usize,
    boosts: &[u16],
    visits: &mut usize,
) -> Vec<usize> {
    let own = corpus.tags_of(p);
    if limit == 0 || own.is_empty() {
        return Vec::new();
    }
    let n = corpus.pages();
    let rarity = |t: usize| (corpus.pages_of(t).len(), t);
    let mut tags = own.to_vec();
    if tags.len() > MAX_TAGS {
        tags.select_nth_unstable_by_key(MAX_TAGS, |&t| rarity(t));
        tags.truncate(MAX_TAGS);
    }
    tags.sort_unstable_by_key(|&t| rarity(t));
    let order = |a: &(u128, usize), b: &(u128, usize)| {
        b.0.cmp(&a.0)
            .then_with(|| corpus.date(b.1).cmp(&corpus.date(a.1)))
            .then_with(|| corpus.title(a.1).cmp(corpus.title(b.1)))
            .then_with(|| corpus.path(a.1).cmp(corpus.path(b.1)))
            .then_with(|| a.1.cmp(&b.1))
    };
    SCRATCH.with_borrow_mut(|scratch| {
        // Slots are zeroed after use (below), never all at once: that would be O(n) a page.
        if scratch.sums.len() < n {
            scratch.sums.resize(n, 0);
        }
        for t in tags {
            let of_tag = corpus.pages_of(t);
            let weight = weight(n, of_tag.len());
            let newest = &of_tag[..of_tag.len().min(PER_TAG)];
            *visits += newest.len();
            for &q in newest.iter().filter(|&&q| q != p && q < n) {
                if scratch.sums[q] == 0 {
                    scratch.seen.push(q);
                }
                scratch.sums[q] += weight;
            }
        }
        // The best `limit`, kept in order while the candidates stream by: most are decided
        // by one comparison of scores with the worst kept (`select_nth_unstable` compared
        // each several times, asking dates and titles on every tie, and was most of the cost).
        let Scratch { sums, seen } = scratch;
        let mut best: Vec<(u128, usize)> = Vec::with_capacity(limit + 1);
        for q in seen.drain(..) {
            let boost = boosts.get(q).copied().unwrap_or(0);
            let candidate = (boosted(std::mem::take(&mut sums[q]), boost), q);
            if best.len() == limit
                && best
                    .last()
                    .is_some_and(|worst| order(&candidate, worst).is_ge())
            {
                continue;
            }
            let at = best.partition_point(|kept| order(kept, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(limit);
        }
        best.into_iter().map(|(_, q)| q).collect()
    })
}

/// A tag's weight on a site of `n` pages when `with` of them carry it, in fixed point.
fn weight(n: usize, with: usize) -> u64 {
    let ratio = n as f64 / with.max(1) as f64;
    // Finite and at least ln 2 for any counts; the cast saturates in any case.
    (ratio.ln_1p() * WEIGHT_SCALE).round() as u64
}

/// Every page's recency boost, in thousandths of its score: `0..=RECENCY_BOOST`.
pub(crate) fn boosts(corpus: &impl Corpus) -> Box<[u16]> {
    let range = corpus.date_range();
    (0..corpus.pages())
        .map(|p| boost(corpus.date(p), range))
        .collect()
}

/// The recency boost of a page dated `date`, on a site whose dates span `range`.
fn boost(date: Option<i64>, range: Option<(i64, i64)>) -> u16 {
    let boost = match (date, range) {
        (Some(d), Some((oldest, newest))) if newest > oldest => {
            let (d, oldest, newest) = (i128::from(d), i128::from(oldest), i128::from(newest));
            ((d - oldest).clamp(0, newest - oldest) * RECENCY_BOOST) / (newest - oldest)
        }
        (Some(_), Some(_)) => RECENCY_BOOST,
        _ => 0,
    };
    // Within 0..=RECENCY_BOOST by the clamp.
    u16::try_from(boost).unwrap_or(0)
}

/// `base` with a recency boost of `boost` thousandths.
fn boosted(base: u64, boost: u16) -> u128 {
    u128::from(base) * (1000 + u128::from(boost))
}

#[cfg(test)]
mod tests;
