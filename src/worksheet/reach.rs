//! Which totals a `by: bands` worksheet can reach: each question's possible scores, summed
//! over all questions exactly (a Minkowski sum on bitsets) within a work budget.

use super::bands::RANK_LIMIT;
use super::bits::Bits;
use super::question::{QType, Question, Score};

/// Budget of 64-bit word operations for one worksheet.
pub(super) const WORK_LIMIT: u64 = 200_000_000;

/// A score in a bands worksheet (0 when absent).
pub(super) fn total(score: &Option<Score>) -> i64 {
    match score {
        Some(Score::Total(n)) => *n as i64,
        _ => 0,
    }
}
/// The scores one question can add to the total.
pub(super) enum Contribution {
    /// 0 and these values.
    Values(Vec<i64>),
    /// 0 and `start + k * step` for `k` in `0..count` (`step` > 0).
    Steps { start: i64, step: i64, count: i64 },
    /// Any subset of these scores with a size in `min..=max`, or none.
    Subsets {
        scores: Vec<i64>,
        min: usize,
        max: usize,
    },
    /// `sum(score[i] * (n - position[i]))` over all orders, or unanswered.
    Orders(Vec<i64>),
}

pub(super) fn contribution(q: &Question) -> Contribution {
    let option_scores = || {
        q.options
            .iter()
            .map(|o| total(&o.score))
            .collect::<Vec<_>>()
    };
    let weight = total(&q.score);
    match q.kind {
        QType::Single => Contribution::Values(option_scores()),
        QType::Multi | QType::Checklist => {
            // worksheet.js stops a multi question at `max` but scores a choice below `min`
            // as it stands, so every size up to `max` can be reached.
            let scores = option_scores();
            let n = scores.len();
            let max = q.max.map_or(n, |m| m as usize).min(n);
            Contribution::Subsets {
                scores,
                min: 0,
                max,
            }
        }
        QType::Rank => Contribution::Orders(option_scores()),
        QType::Scale | QType::Number => {
            let (Some(min), Some(max)) = (q.min, q.max) else {
                return Contribution::Values(Vec::new());
            };
            let step = q.step.unwrap_or(1.0).max(1.0) as i64;
            let (min, max) = (min as i64, max as i64);
            let count = (max.saturating_sub(min)) / step + 1;
            if weight == 0 || count <= 0 {
                return Contribution::Values(Vec::new());
            }
            let first = min.saturating_mul(weight);
            let last =
                (min.saturating_add((count - 1).saturating_mul(step))).saturating_mul(weight);
            let stride = step.saturating_mul(weight).saturating_abs();
            Contribution::Steps {
                start: first.min(last),
                step: stride.max(1),
                count,
            }
        }
        QType::Text | QType::Textarea => Contribution::Values(Vec::new()),
    }
}

impl Contribution {
    /// Lowest and highest contribution (0 included), without enumerating.
    pub(super) fn bounds(&self) -> (i128, i128) {
        let (lo, hi) = match self {
            Contribution::Values(v) => (
                v.iter().copied().min().map_or(0, i128::from),
                v.iter().copied().max().map_or(0, i128::from),
            ),
            Contribution::Steps { start, step, count } => {
                let start = i128::from(*start);
                (start, start + i128::from(*step) * i128::from(count - 1))
            }
            Contribution::Subsets { scores, min, max } => {
                let mut sorted: Vec<i128> = scores.iter().map(|&s| i128::from(s)).collect();
                sorted.sort();
                let prefix = |items: &mut dyn Iterator<Item = i128>| -> Vec<i128> {
                    let mut sums = vec![0];
                    let mut sum = 0;
                    for s in items {
                        sum += s;
                        sums.push(sum);
                    }
                    sums
                };
                let low = prefix(&mut sorted.iter().copied());
                let high = prefix(&mut sorted.iter().rev().copied());
                let ks = *min..=*max;
                (
                    ks.clone().map(|k| low[k]).min().unwrap_or(0),
                    ks.map(|k| high[k]).max().unwrap_or(0),
                )
            }
            Contribution::Orders(scores) => {
                let n = scores.len() as i128;
                let mut sorted: Vec<i128> = scores.iter().map(|&s| i128::from(s)).collect();
                sorted.sort();
                // Rearrangement: the largest weights (n) on the largest scores give the max.
                let hi: i128 = sorted
                    .iter()
                    .enumerate()
                    .map(|(i, s)| s * (i as i128 + 1))
                    .sum();
                let lo: i128 = sorted
                    .iter()
                    .enumerate()
                    .map(|(i, s)| s * (n - i as i128))
                    .sum();
                (lo, hi)
            }
        };
        (lo.min(0), hi.max(0))
    }

    /// `totals ⊕ self`, or `None` when the work budget runs out.
    pub(super) fn add_to(&self, totals: &Bits, budget: &mut u64) -> Option<Bits> {
        let (lo, hi) = self.bounds();
        let (t_lo, t_hi) = totals.range();
        let (lo, hi) = (lo as i64, hi as i64);
        let mut out = Bits::empty(t_lo + lo, t_hi + hi);
        let spend = |budget: &mut u64, words: usize| -> Option<()> {
            *budget = budget.checked_sub(words as u64 + 1)?;
            Some(())
        };
        match self {
            Contribution::Steps { start, step, count } => {
                // totals ⊕ {0, step, .., (count-1)·step} by doubling, then moved by `start`.
                let mut window = Bits::empty(t_lo, t_hi + step * (count - 1));
                window.or_shifted(totals, 0);
                let mut covered = 1;
                while covered < *count {
                    let add = covered.min(count - covered);
                    let copy = window.clone();
                    spend(budget, window.word_count())?;
                    window.or_shifted(&copy, add * step);
                    covered += add;
                }
                spend(budget, out.word_count() * 2)?;
                out.or_shifted(totals, 0);
                out.or_shifted(&window, *start);
            }
            other => {
                let own = other.enumerate(budget)?;
                let (small, large) = if own.count() < totals.count() {
                    (&own, totals)
                } else {
                    (totals, &own)
                };
                for v in small.iter() {
                    spend(budget, out.word_count())?;
                    out.or_shifted(large, v);
                }
            }
        }
        Some(out)
    }

    /// The exact set of contributions (0 included).
    fn enumerate(&self, budget: &mut u64) -> Option<Bits> {
        let (lo, hi) = self.bounds();
        let mut set = Bits::empty(lo as i64, hi as i64);
        set.insert(0);
        match self {
            Contribution::Values(values) => {
                for &v in values {
                    set.insert(v);
                }
            }
            Contribution::Steps { start, step, count } => {
                for k in 0..*count {
                    set.insert(start + k * step);
                }
            }
            Contribution::Subsets { scores, min, max } if *min == 0 && *max == scores.len() => {
                for &s in scores {
                    let previous = set.clone();
                    *budget = budget.checked_sub(previous.word_count() as u64 * 2 + 1)?;
                    set.or_shifted(&previous, s);
                }
            }
            Contribution::Subsets { scores, min, max } => {
                // by_size[k]: sums of exactly k chosen scores.
                let memory = (*max as u64 + 1).saturating_mul(set.word_count() as u64);
                *budget = budget.checked_sub(memory)?;
                let mut by_size: Vec<Bits> = vec![Bits::empty(lo as i64, hi as i64); max + 1];
                by_size[0].insert(0);
                for (i, &s) in scores.iter().enumerate() {
                    for k in (1..=(i + 1).min(*max)).rev() {
                        let previous = by_size[k - 1].clone();
                        *budget = budget.checked_sub(previous.word_count() as u64 * 2 + 1)?;
                        by_size[k].or_shifted(&previous, s);
                    }
                }
                for sums in &by_size[*min..] {
                    set.or_shifted(sums, 0);
                }
            }
            Contribution::Orders(scores) => {
                if scores.windows(2).all(|w| w[0] == w[1]) {
                    let n = scores.len() as i64;
                    set.insert(scores.first().map_or(0, |s| s * n * (n + 1) / 2));
                } else if scores.len() > RANK_LIMIT {
                    return None;
                } else {
                    let mut order: Vec<usize> = (0..scores.len()).collect();
                    permutations(&mut order, 0, &mut |order| {
                        let n = order.len() as i64;
                        let sum = order
                            .iter()
                            .enumerate()
                            .map(|(pos, &i)| scores[i] * (n - pos as i64))
                            .sum();
                        set.insert(sum);
                    });
                }
            }
        }
        Some(set)
    }
}

fn permutations(items: &mut [usize], k: usize, visit: &mut dyn FnMut(&[usize])) {
    if k + 1 >= items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(bits: &Bits) -> Vec<i64> {
        bits.iter().collect()
    }

    #[test]
    fn contributions_are_exact() {
        let mut budget = WORK_LIMIT;
        let subsets = Contribution::Subsets {
            scores: vec![1, 2, 4],
            min: 2,
            max: 2,
        };
        assert_eq!(set(&subsets.enumerate(&mut budget).unwrap()), [0, 3, 5, 6]);
        let any = Contribution::Subsets {
            scores: vec![-1, 3],
            min: 0,
            max: 2,
        };
        assert_eq!(set(&any.enumerate(&mut budget).unwrap()), [-1, 0, 2, 3]);
        let orders = Contribution::Orders(vec![1, 0, 0]);
        assert_eq!(set(&orders.enumerate(&mut budget).unwrap()), [0, 1, 2, 3]);
        let steps = Contribution::Steps {
            start: -4,
            step: 2,
            count: 3,
        };
        assert_eq!(steps.bounds(), (-4, 0));
        let totals = steps.add_to(&Bits::single(10), &mut budget).unwrap();
        assert_eq!(set(&totals), [6, 8, 10]);
        let many = Contribution::Steps {
            start: 1,
            step: 3,
            count: 1000,
        };
        let totals = many.add_to(&Bits::single(0), &mut budget).unwrap();
        assert_eq!(totals.count(), 1001);
        assert_eq!(totals.bounds(), Some((0, 2998)));
    }
}
