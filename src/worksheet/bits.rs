//! A set of integers in a range, as a bitset that can be shifted and merged by words.

/// A set of integers in `lo..lo + len`.
#[derive(Debug, Clone)]
pub(super) struct Bits {
    lo: i64,
    len: usize,
    words: Vec<u64>,
}

impl Bits {
    pub(super) fn empty(lo: i64, hi: i64) -> Self {
        let len = usize::try_from(hi - lo + 1).unwrap_or(0);
        Bits {
            lo,
            len,
            words: vec![0; len.div_ceil(64)],
        }
    }

    pub(super) fn single(v: i64) -> Self {
        let mut bits = Bits::empty(v, v);
        bits.insert(v);
        bits
    }

    pub(super) fn range(&self) -> (i64, i64) {
        (self.lo, self.lo + self.len as i64 - 1)
    }

    pub(super) fn insert(&mut self, v: i64) {
        let Ok(i) = usize::try_from(v - self.lo) else {
            return;
        };
        if i < self.len {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    /// Words of storage: the cost of one pass over the set.
    pub(super) fn word_count(&self) -> usize {
        self.words.len()
    }

    pub(super) fn count(&self) -> u32 {
        self.words.iter().map(|w| w.count_ones()).sum()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.words.iter().enumerate().flat_map(move |(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(self.lo + (i * 64 + bit) as i64)
            })
        })
    }

    pub(super) fn bounds(&self) -> Option<(i64, i64)> {
        let first = self.iter().next()?;
        let (w, word) = self
            .words
            .iter()
            .enumerate()
            .rev()
            .find(|(_, w)| **w != 0)?;
        let last = self.lo + (w * 64 + 63 - word.leading_zeros() as usize) as i64;
        Some((first, last))
    }

    pub(super) fn any_in(&self, min: i64, max: i64) -> bool {
        self.iter()
            .skip_while(|&t| t < min)
            .take(1)
            .any(|t| t <= max)
    }

    /// 64 bits starting at bit `start` (zeros outside the set).
    fn window(&self, start: i64) -> u64 {
        let word = start.div_euclid(64);
        let shift = start.rem_euclid(64) as u32;
        let get = |i: i64| -> u64 {
            usize::try_from(i)
                .ok()
                .and_then(|i| self.words.get(i))
                .copied()
                .unwrap_or(0)
        };
        let low = get(word) >> shift;
        let high = if shift == 0 {
            0
        } else {
            get(word + 1) << (64 - shift)
        };
        low | high
    }

    /// Adds every `v + delta` for `v` in `src` (values falling outside `self` are dropped).
    pub(super) fn or_shifted(&mut self, src: &Bits, delta: i64) {
        // dst bit m ↔ value self.lo + m ↔ src bit (self.lo + m - delta - src.lo).
        let offset = self.lo - delta - src.lo;
        let first = (-offset).div_euclid(64).max(0) as usize;
        let last = ((src.len as i64 - offset).div_euclid(64) + 1).clamp(0, self.words.len() as i64)
            as usize;
        for m in first..last {
            self.words[m] |= src.window(m as i64 * 64 + offset);
        }
        if !self.len.is_multiple_of(64)
            && let Some(w) = self.words.last_mut()
        {
            *w &= (1u64 << (self.len % 64)) - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(bits: &Bits) -> Vec<i64> {
        bits.iter().collect()
    }

    #[test]
    fn bitsets_shift_both_ways() {
        let mut a = Bits::empty(-5, 200);
        let mut src = Bits::empty(0, 130);
        for v in [0, 1, 63, 64, 65, 130] {
            src.insert(v);
        }
        a.or_shifted(&src, -3);
        assert_eq!(set(&a), [-3, -2, 60, 61, 62, 127]);
        let mut b = Bits::empty(0, 10);
        b.or_shifted(&src, 5);
        assert_eq!(set(&b), [5, 6]);
        assert_eq!(b.bounds(), Some((5, 6)));
        assert!(b.any_in(6, 9) && !b.any_in(7, 10));
    }
}
