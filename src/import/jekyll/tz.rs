//! Jekyll's `timezone:` setting. Jekyll sets `ENV["TZ"]`, so Ruby reads the system's
//! zoneinfo (TZif) file for it; so does this module (`/usr/share/zoneinfo/<name>`), without
//! a time-zone crate. Only the transition table is read: past its end (2037 in the usual
//! "fat" files) the last offset holds.

use std::path::Path;

/// A zone: UTC offsets (seconds) from each transition on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Zone {
    /// (transition time in Unix seconds, offset after it); sorted.
    transitions: Vec<(i64, i32)>,
    /// The offset before the first transition.
    initial: i32,
}

impl Zone {
    /// The zone `name` (`America/Los_Angeles`) from the system's zoneinfo, if it is there.
    pub(crate) fn named(name: &str) -> Option<Zone> {
        if name.is_empty() || name.contains("..") || name.starts_with('/') {
            return None;
        }
        for dir in [
            "/usr/share/zoneinfo",
            "/usr/lib/zoneinfo",
            "/usr/share/lib/zoneinfo",
        ] {
            if let Ok(bytes) = std::fs::read(Path::new(dir).join(name)) {
                return Zone::parse(&bytes);
            }
        }
        None
    }

    /// Reads a TZif file (the 64-bit block of version 2+, else the 32-bit one).
    pub(crate) fn parse(b: &[u8]) -> Option<Zone> {
        if b.get(..4)? != b"TZif" {
            return None;
        }
        let counts = |at: usize| -> Option<[usize; 6]> {
            let mut c = [0usize; 6];
            for (i, n) in c.iter_mut().enumerate() {
                let s = b.get(at + 20 + 4 * i..at + 24 + 4 * i)?;
                *n = u32::from_be_bytes(s.try_into().ok()?) as usize;
            }
            Some(c)
        };
        let [isut, isstd, leap, time, typ, chars] = counts(0)?;
        let v1_len = time * 5 + typ * 6 + chars + leap * 8 + isstd + isut;
        let (start, width, c) = if b[4] >= b'2' {
            let at = 44 + v1_len;
            (at + 44, 8, counts(at)?)
        } else {
            (44, 4, [isut, isstd, leap, time, typ, chars])
        };
        let time = c[3];
        let times_at = start;
        let idx_at = times_at + time * width;
        let types_at = idx_at + time;
        let offset_of = |t: usize| -> Option<i32> {
            let s = b.get(types_at + 6 * t..types_at + 6 * t + 4)?;
            Some(i32::from_be_bytes(s.try_into().ok()?))
        };
        let mut transitions = Vec::with_capacity(time);
        for i in 0..time {
            let s = b.get(times_at + i * width..times_at + (i + 1) * width)?;
            let t = if width == 8 {
                i64::from_be_bytes(s.try_into().ok()?)
            } else {
                i64::from(i32::from_be_bytes(s.try_into().ok()?))
            };
            let ty = *b.get(idx_at + i)? as usize;
            transitions.push((t, offset_of(ty)?));
        }
        // Before the first transition: the first non-DST type (type 0 in practice).
        let initial = offset_of(0)?;
        Some(Zone {
            transitions,
            initial,
        })
    }

    /// A zone with one fixed offset (tests).
    #[cfg(test)]
    pub(crate) fn fixed(offset: i32) -> Zone {
        Zone {
            transitions: Vec::new(),
            initial: offset,
        }
    }

    /// The UTC offset in seconds at Unix time `t`.
    pub(crate) fn offset_at(&self, t: i64) -> i32 {
        match self.transitions.partition_point(|(at, _)| *at <= t) {
            0 => self.initial,
            i => self.transitions[i - 1].1,
        }
    }

    /// `at` shown in this zone.
    pub(crate) fn convert(
        &self,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> chrono::DateTime<chrono::FixedOffset> {
        let offset = chrono::FixedOffset::east_opt(self.offset_at(at.timestamp()))
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
        at.with_timezone(&offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_timezone_from_zoneinfo() {
        let Some(la) = Zone::named("America/Los_Angeles") else {
            return; // no zoneinfo on this machine
        };
        let at = chrono::DateTime::parse_from_rfc3339("2013-05-06T02:12:52+02:00").unwrap();
        assert_eq!(la.convert(at).to_rfc3339(), "2013-05-05T17:12:52-07:00");
        let winter = chrono::DateTime::parse_from_rfc3339("2020-01-01T12:00:00Z").unwrap();
        assert_eq!(la.convert(winter).to_rfc3339(), "2020-01-01T04:00:00-08:00");
        assert!(Zone::named("../etc/passwd").is_none());
    }
}
