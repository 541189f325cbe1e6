//! Cheap content fingerprints for the rebuild caches: two inputs with the same fingerprint are
//! treated as the same input, so an output whose fingerprint did not change is reused.
//!
//! SipHash (std's `DefaultHasher`) with fixed keys: stable within a process, which is all the
//! caches need (nothing here is persisted or compared across versions).

use std::hash::{DefaultHasher, Hash, Hasher};

/// The fingerprint of one value.
pub(crate) fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Builds a fingerprint from several parts, in order.
#[derive(Default)]
pub(crate) struct Fingerprint(DefaultHasher);

impl Fingerprint {
    pub(crate) fn new() -> Self {
        Fingerprint(DefaultHasher::new())
    }

    /// Adds one part; parts are length-delimited by their `Hash` impls, so `("ab", "c")` and
    /// `("a", "bc")` differ. Takes `&mut self`: moving the hasher state through a by-value
    /// builder on every part cost more than the hashing at 10,000 pages.
    pub(crate) fn with<T: Hash + ?Sized>(&mut self, part: &T) -> &mut Self {
        part.hash(&mut self.0);
        self
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited() {
        let a = Fingerprint::new().with("ab").with("c").finish();
        let b = Fingerprint::new().with("a").with("bc").finish();
        assert_ne!(a, b);
        assert_eq!(of("x"), of("x"));
    }
}
