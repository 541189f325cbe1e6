//! `by: bands`: whether the bands cover every reachable total exactly once.
//!
//! The reachable totals come from [`super::reach`]. Totals are bounded to ±[`TOTAL_LIMIT`]
//! and the work to [`WORK_LIMIT`] word operations, so a hostile worksheet cannot make the
//! build slow; past the work limit the check is skipped with a warning rather than guessed.

use super::bits::Bits;
use super::header::{Band, Outcomes};
use super::probe::YPath;
use super::question::{QType, Question};
use super::reach::{Contribution, WORK_LIMIT, contribution, total};
use super::source::Issue;

/// Totals beyond ±this are refused in a bands worksheet.
pub(super) const TOTAL_LIMIT: i64 = 100_000;
/// Most options a scored rank question may have in a bands worksheet (8! orders).
pub(super) const RANK_LIMIT: usize = 8;

/// Per-question rules that only a bands worksheet has (totals must be enumerable).
pub(super) fn check_question(q: &Question, result: &Outcomes, at: &YPath) -> Vec<Issue> {
    if !matches!(result, Outcomes::Bands(_)) {
        return Vec::new();
    }
    let mut issues = Vec::new();
    match q.kind {
        QType::Number => {
            if q.min.is_none() || q.max.is_none() {
                issues.push(
                    Issue::error(at.at("type"), "number questions need min and max in a bands worksheet")
                        .label("its totals are unbounded")
                        .help("add `min:` and `max:` (whole numbers) so every total can be matched to a band"),
                );
            }
            for (key, value) in [("min", q.min), ("max", q.max), ("step", q.step)] {
                if value.is_some_and(|v| v.fract() != 0.0) {
                    issues.push(
                        Issue::error(
                            at.at(key),
                            format!("`{key}` must be a whole number in a bands worksheet"),
                        )
                        .help("totals are matched against bands of whole numbers"),
                    );
                }
            }
        }
        QType::Rank => {
            let scores: Vec<i64> = q.options.iter().map(|o| total(&o.score)).collect();
            let all_equal = scores.windows(2).all(|w| w[0] == w[1]);
            if q.options.len() > RANK_LIMIT && !all_equal {
                issues.push(
                    Issue::error(
                        at.key("options"),
                        format!(
                            "a scored rank question in a bands worksheet can have at most {RANK_LIMIT} options"
                        ),
                    )
                    .label(format!("{} options", q.options.len()))
                    .help("use fewer options, or a `by: top` worksheet"),
                );
            }
        }
        _ => {}
    }
    issues
}

/// The bands' resolved `[min, max]` ranges, and problems with them.
#[derive(Debug, Default)]
pub(super) struct BandCheck {
    pub ranges: Vec<(i64, i64)>,
    pub issues: Vec<Issue>,
}

/// Checks `bands` against the totals `questions` can reach. `at` is the `bands:` node.
pub(super) fn check(bands: &[Band], questions: &[Question], at: &YPath) -> BandCheck {
    let mut out = BandCheck::default();
    let contributions: Vec<Contribution> = questions.iter().map(contribution).collect();
    let lo: i128 = contributions.iter().map(|c| c.bounds().0).sum();
    let hi: i128 = contributions.iter().map(|c| c.bounds().1).sum();
    let limit = i128::from(TOTAL_LIMIT);
    if lo < -limit || hi > limit {
        out.issues.push(
            Issue::error(
                at.parent().map_or_else(|| at.clone(), |p| p.key("bands")),
                format!("the scores reach totals from {lo} to {hi}; bands can be checked only within ±{TOTAL_LIMIT}"),
            )
            .help("use smaller scores or weights"),
        );
        out.ranges = resolve(bands, lo.max(-limit) as i64, &mut out.issues, at);
        return out;
    }
    let mut budget = WORK_LIMIT;
    let mut totals = Bits::single(0);
    let mut complete = true;
    for c in &contributions {
        match c.add_to(&totals, &mut budget) {
            Some(next) => totals = next,
            None => {
                complete = false;
                break;
            }
        }
    }
    let bands_key = at.parent().map_or_else(|| at.clone(), |p| p.key("bands"));
    if !complete {
        out.issues.push(
            Issue::warning(
                bands_key,
                "band coverage was not checked: the questions have too many score combinations",
            )
            .help("bands still apply; check by hand that they cover every total"),
        );
        out.ranges = resolve(bands, lo as i64, &mut out.issues, at);
        return out;
    }
    let (reach_lo, reach_hi) = totals.bounds().unwrap_or((0, 0));
    out.ranges = resolve(bands, reach_lo, &mut out.issues, at);
    if out.issues.iter().any(Issue::is_error) {
        return out;
    }
    let reach = range_text(reach_lo, reach_hi);
    let overlaps = overlaps(bands, &out.ranges);
    for (a, b, from, to) in &overlaps {
        out.issues.push(
            Issue::error(
                bands_key.clone(),
                format!(
                    "bands `{}` ({}) and `{}` ({}) overlap: {} {} in both",
                    bands[*a].key,
                    range_text(out.ranges[*a].0, out.ranges[*a].1),
                    bands[*b].key,
                    range_text(out.ranges[*b].0, out.ranges[*b].1),
                    if from == to { "total" } else { "totals" },
                    range_text(*from, *to)
                ),
            )
            .label("a total must fall in exactly one band")
            .help("make each band's `min` one more than the previous band's `max`"),
        );
    }
    let gaps = gaps(&totals, &out.ranges);
    if !gaps.is_empty() {
        let count: i64 = gaps.iter().map(|(a, b)| b - a + 1).sum();
        let mut listed: Vec<String> = gaps
            .iter()
            .take(6)
            .map(|(a, b)| range_text(*a, *b))
            .collect();
        if gaps.len() > 6 {
            listed.push("…".to_string());
        }
        let (noun, verb) = if count == 1 {
            ("total", "is")
        } else {
            ("totals", "are")
        };
        out.issues.push(
            Issue::error(
                bands_key,
                format!(
                    "{noun} {} {verb} not covered by any band; the reachable range is {reach}",
                    join_list(&listed)
                ),
            )
            .label("these totals would show no result")
            .help("widen or add bands so that every reachable total falls in one"),
        );
    }
    for (i, band) in bands.iter().enumerate() {
        let (min, max) = out.ranges[i];
        if !totals.any_in(min, max) {
            out.issues.push(
                Issue::warning(
                    at.index(i).key("max"),
                    format!(
                        "band `{}` ({}) can never be reached; the reachable totals are {reach}",
                        band.key,
                        range_text(min, max)
                    ),
                )
                .help("change its range or the scores, or remove the band"),
            );
        }
    }
    out
}

/// Resolved `[min, max]` per band: a missing `min` is one above the previous band's `max`,
/// the lowest reachable total for the first band.
fn resolve(bands: &[Band], first_min: i64, issues: &mut Vec<Issue>, at: &YPath) -> Vec<(i64, i64)> {
    let mut ranges = Vec::with_capacity(bands.len());
    let mut previous: Option<i64> = None;
    for (i, band) in bands.iter().enumerate() {
        let min = match (band.min, previous) {
            (Some(min), _) => min,
            (None, Some(prev)) => prev.saturating_add(1),
            (None, None) => first_min.min(band.max),
        };
        if min > band.max {
            let why = match (band.min, previous) {
                (Some(_), _) => format!("its `min` is {min}"),
                (None, Some(prev)) => format!("it starts after the previous band's `max` ({prev})"),
                (None, None) => format!("it starts at {min}"),
            };
            issues.push(
                Issue::error(
                    at.index(i).at("max"),
                    format!("band `{}` ends at {} but {why}", band.key, band.max),
                )
                .help("list bands from the lowest total to the highest, each `max` above the one before"),
            );
        }
        previous = Some(band.max);
        ranges.push((min, band.max));
    }
    ranges
}

/// Pairs of overlapping bands with the overlapping totals.
fn overlaps(bands: &[Band], ranges: &[(i64, i64)]) -> Vec<(usize, usize, i64, i64)> {
    let mut order: Vec<usize> = (0..bands.len()).collect();
    order.sort_by_key(|&i| ranges[i]);
    let mut out = Vec::new();
    for (n, &a) in order.iter().enumerate() {
        for &b in &order[n + 1..] {
            if ranges[b].0 > ranges[a].1 {
                break;
            }
            let (first, second) = if a < b { (a, b) } else { (b, a) };
            out.push((first, second, ranges[b].0, ranges[a].1.min(ranges[b].1)));
        }
    }
    out
}

/// Reachable totals outside every band, as ranges of consecutive uncovered reachable
/// totals (unreachable totals in between do not split a range).
fn gaps(totals: &Bits, ranges: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut sorted: Vec<(i64, i64)> = ranges.to_vec();
    sorted.sort();
    let mut out: Vec<(i64, i64)> = Vec::new();
    let mut band = 0;
    let mut last_uncovered: Option<i64> = None;
    for t in totals.iter() {
        while band < sorted.len() && sorted[band].1 < t {
            band += 1;
        }
        let covered = band < sorted.len() && sorted[band].0 <= t;
        if covered {
            last_uncovered = None;
            continue;
        }
        match (out.last_mut(), last_uncovered) {
            (Some(range), Some(_)) => range.1 = t,
            _ => out.push((t, t)),
        }
        last_uncovered = Some(t);
    }
    out
}

pub(super) fn range_text(a: i64, b: i64) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

fn join_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
