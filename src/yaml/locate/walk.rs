//! The walk behind [`super::Locator`]: libyaml's own positions, through serde_yaml.
//!
//! `serde_yaml` has no spans, but it positions an error raised by a visitor at the event the
//! deserializer was on (the scalar, or the start of the mapping or sequence); `validated_str`
//! relies on the same behaviour. The walk follows a path through the document and raises a
//! marker error on arriving at the target, so the error's offset is the target's: exactly
//! where libyaml saw it, whatever the style (block or flow, quoted keys, comments, CRLF).
//! [`super::from_checked_str`] only takes a type, not a seed, so the path travels to the
//! walk through a thread-local set for the duration of one call.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{KeyPath, Seg};

const FOUND: &str = "\u{0}sheaf-probe-found";

thread_local! {
    static TARGET: RefCell<KeyPath> = RefCell::new(KeyPath::default());
}

/// Byte offset in `text` of the node at `path` (its key, when `path.key`); `None` when the
/// path does not exist or the text is not YAML.
pub(super) fn find(text: &str, path: &KeyPath) -> Option<usize> {
    let previous = TARGET.with(|t| t.replace(path.clone()));
    // The walk re-reads a text that was parsed (and checked against the limits) already.
    let result = crate::yaml::from_checked_str::<Probe>(text);
    TARGET.with(|t| t.replace(previous));
    match result {
        Err(err) if err.message.contains(FOUND) => Some(err.offset.unwrap_or(0).min(text.len())),
        _ => None,
    }
}

struct Probe;

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let target = TARGET.with(|t| t.borrow().clone());
        Seed {
            segs: &target.segs,
            key: target.key,
            repeat: target.repeat,
        }
        .deserialize(deserializer)
        .map(|()| Probe)
    }
}

#[derive(Clone, Copy)]
struct Seed<'p> {
    segs: &'p [Seg],
    key: bool,
    repeat: bool,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Seed<'_> {
    fn here<E: de::Error>(&self) -> Result<(), E> {
        if self.segs.is_empty() {
            Err(E::custom(FOUND))
        } else {
            Ok(())
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("anything")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.here()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.here()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.here()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.here()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.here()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.here()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.here()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.here()?;
        let wanted = match self.segs.first() {
            Some(Seg::Index(i)) => Some(*i),
            _ => None,
        };
        let mut index = 0;
        loop {
            let more = if Some(index) == wanted {
                seq.next_element_seed(Seed {
                    segs: &self.segs[1..],
                    ..self
                })?
                .is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.here()?;
        let wanted = match self.segs.first() {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let last = self.segs.len() == 1;
        let key_is_target = self.key && last;
        // Occurrences of the wanted key to pass over: one when looking for a repeat.
        let mut skip = usize::from(self.repeat && last);
        let mut seen = false;
        while let Some(key) = map.next_key_seed(KeySeed {
            wanted: if key_is_target && !seen && skip == 0 {
                wanted
            } else {
                None
            },
        })? {
            if !seen && wanted.is_some() && key.as_deref() == wanted {
                if skip > 0 {
                    skip -= 1;
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                seen = true;
                map.next_value_seed(Seed {
                    segs: &self.segs[1..],
                    ..self
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Reads a mapping key as text; raises the marker when it is the wanted key.
struct KeySeed<'p> {
    wanted: Option<&'p str>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl KeySeed<'_> {
    fn key<E: de::Error>(&self, key: String) -> Result<Option<String>, E> {
        if self.wanted == Some(key.as_str()) {
            Err(E::custom(FOUND))
        } else {
            Ok(Some(key))
        }
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.key(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.key(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.key(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.key(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.key(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.key("null".to_string())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}
