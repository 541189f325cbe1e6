//! Finding where a node of a YAML document is, by path, for located errors.
//!
//! `serde_yaml` has no spans, but it positions an error raised by a visitor at the event the
//! deserializer was on (the scalar, or the start of the mapping or sequence); `yaml.rs`
//! relies on the same behaviour for `validated_str`. A probe walks the document along a
//! path and raises a marker error on arriving at the target, so the error's offset is the
//! target's. Probes run only while reporting an error, so re-reading the text is cheap
//! enough. `crate::yaml::from_str` only takes a type, not a seed, so the path travels to the
//! probe through a thread-local set for the duration of one call.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::yaml;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// The value of this key of a mapping (the first one, if the key repeats).
    Key(String),
    /// This item of a sequence.
    Index(usize),
}

/// A node of a YAML document: a path, and whether the target is the last key itself rather
/// than its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YPath {
    pub segs: Vec<Seg>,
    /// Point at the key of the last `Seg::Key` instead of its value.
    pub key: bool,
}

impl YPath {
    pub fn root() -> Self {
        YPath::default()
    }

    /// The value at `key` under this node.
    pub fn at(&self, key: &str) -> Self {
        let mut segs = self.segs.clone();
        segs.push(Seg::Key(key.to_string()));
        YPath { segs, key: false }
    }

    /// The key `key` itself under this node.
    pub fn key(&self, key: &str) -> Self {
        YPath {
            key: true,
            ..self.at(key)
        }
    }

    /// Item `index` of the sequence at this node.
    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.segs.clone();
        segs.push(Seg::Index(index));
        YPath { segs, key: false }
    }

    /// The same path without its last step (the node that holds this one).
    pub fn parent(&self) -> Option<Self> {
        let mut segs = self.segs.clone();
        segs.pop()?;
        Some(YPath { segs, key: false })
    }
}

const FOUND: &str = "\u{0}sheaf-probe-found";

thread_local! {
    static TARGET: RefCell<YPath> = RefCell::new(YPath::default());
}

/// Byte offset in `text` of the node at `path`; `None` when the path does not exist.
/// A missing node is looked for at its nearest existing ancestor by [`locate_nearest`].
pub fn locate(text: &str, path: &YPath) -> Option<usize> {
    let previous = TARGET.with(|t| t.replace(path.clone()));
    // Probes re-read a text that was parsed (and checked against the limits) already.
    let result = yaml::from_checked_str::<Probe>(text);
    TARGET.with(|t| t.replace(previous));
    match result {
        Err(err) if err.message.contains(FOUND) => Some(err.offset.unwrap_or(0).min(text.len())),
        _ => None,
    }
}

/// Like [`locate`], but falls back to the closest ancestor that exists (then to 0).
pub fn locate_nearest(text: &str, path: &YPath) -> usize {
    let mut path = path.clone();
    loop {
        if let Some(at) = locate(text, &path) {
            return at;
        }
        if path.key {
            path.key = false;
            continue;
        }
        match path.parent() {
            Some(parent) => path = parent,
            None => return 0,
        }
    }
}

struct Probe;

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let target = TARGET.with(|t| t.borrow().clone());
        Seed {
            segs: &target.segs,
            key: target.key,
        }
        .deserialize(deserializer)
        .map(|()| Probe)
    }
}

#[derive(Clone, Copy)]
struct Seed<'p> {
    segs: &'p [Seg],
    key: bool,
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
                    key: self.key,
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
        let key_is_target = self.key && self.segs.len() == 1;
        let mut seen = false;
        while let Some(key) = map.next_key_seed(KeySeed {
            wanted: if key_is_target && !seen { wanted } else { None },
        })? {
            if !seen && wanted.is_some() && key.as_deref() == wanted {
                seen = true;
                map.next_value_seed(Seed {
                    segs: &self.segs[1..],
                    key: self.key,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &YPath) -> Option<(usize, String)> {
        let offset = locate(text, path)?;
        let line = text[..offset].matches('\n').count() + 1;
        Some((line, text[offset..].chars().take(8).collect()))
    }

    #[test]
    fn finds_keys_values_and_items() {
        let text = "- id: a\n  type: single\n  options:\n    - { id: x, label: X }\n    - id: y\n      label: Ü\n- id: b\n  scale: {min: 1, max: 5}\n";
        let q1 = YPath::root().index(1);
        assert_eq!(at(text, &q1.at("id")), Some((7, "b\n  scal".into())));
        assert_eq!(at(text, &q1.key("id")), Some((7, "id: b\n  ".into())));
        let opts = YPath::root().index(0).at("options");
        assert_eq!(
            at(text, &opts.index(0).at("label")),
            Some((4, "X }\n    ".into()))
        );
        assert_eq!(
            at(text, &opts.index(1).key("label")),
            Some((6, "label: Ü".into()))
        );
        assert_eq!(
            at(text, &q1.at("scale").at("max")),
            Some((8, "5}\n".into()))
        );
        assert_eq!(at(text, &q1.at("missing")), None);
        assert_eq!(at(text, &YPath::root().index(5)), None);
        let nearest = locate_nearest(text, &q1.at("scale").at("nope"));
        assert!(text[nearest..].starts_with("{min"), "{}", &text[nearest..]);
    }

    #[test]
    fn crlf_and_multibyte_offsets_are_bytes() {
        let text = "a: Ünïcödé\r\nb:\r\n  c: 1\r\n";
        let offset = locate(text, &YPath::root().at("b").key("c")).unwrap();
        assert!(text[offset..].starts_with("c: 1"));
    }

    #[test]
    fn broken_yaml_finds_nothing_and_never_panics() {
        for text in ["", "a: [", "- {", "\t- x", ": :", "a: *nope", "- &x [*x]"] {
            let _ = locate(text, &YPath::root().index(0).at("a"));
        }
    }
}
