//! The serde layer of the `worksheet:` header: raw shapes and self-checking values, so
//! serde_yaml can point at the offending value.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::DeserializeSeed};

use super::{Dimension, ResultBy};
use crate::diagnostic::did_you_mean;
use crate::slug::slugify;
use crate::yaml;

#[derive(Deserialize)]
pub(super) struct Wrapper {
    pub(super) worksheet: RawHeader,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "the worksheet header: `id`, `version` and `result`"
)]
pub(super) struct RawHeader {
    pub(super) id: Key,
    pub(super) version: Version,
    pub(super) result: RawResult,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "`result`: `by` with `dimensions` or `bands`"
)]
pub(super) struct RawResult {
    pub(super) by: ResultBy,
    pub(super) dimensions: Option<Dimensions>,
    pub(super) bands: Option<Vec<RawBand>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a dimension: `{ title: ..., body: ... }`"
)]
pub(super) struct RawDimension {
    pub(super) title: Title,
    pub(super) body: Body,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a band: `{ max: ..., title: ..., body: ... }`"
)]
pub(super) struct RawBand {
    pub(super) key: Option<Key>,
    pub(super) min: Option<i64>,
    pub(super) max: i64,
    pub(super) title: Title,
    pub(super) body: Body,
}

impl<'de> Deserialize<'de> for ResultBy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "`top` or `bands`", |s| match s {
            "top" => Ok(ResultBy::Top),
            "bands" => Ok(ResultBy::Bands),
            other => Err(match did_you_mean(other, ["top", "bands"]) {
                Some(hint) => format!("unknown result kind `{other}`: did you mean `{hint}`?"),
                None => format!(
                    "unknown result kind `{other}`: use `top` (highest dimension) or `bands` (total score)"
                ),
            }),
        })
    }
}

/// `[a-z0-9-]+`: worksheet ids, dimension and band keys (they appear in URLs).
pub(in crate::worksheet) fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) struct Key(pub(super) String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "an id of [a-z0-9-]", |s| {
            if is_key(s) {
                Ok(Key(s.to_string()))
            } else {
                Err(format!(
                    "`{s}` is not a valid key: use only lowercase letters, digits and `-` (it appears in URLs), e.g. `{}`",
                    suggest_key(s)
                ))
            }
        })
    }
}

/// A valid key close to `s`, for hints.
pub(in crate::worksheet) fn suggest_key(s: &str) -> String {
    let slug = slugify(s);
    if slug.is_empty() {
        "my-key".to_string()
    } else {
        slug
    }
}

pub(super) struct Version(pub(super) u32);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Version;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number, 1 or more")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Version, E> {
                match u32::try_from(v) {
                    Ok(v) if v >= 1 => Ok(Version(v)),
                    _ => Err(E::custom(format!(
                        "version `{v}` is out of range: versions start at 1 and go up by one"
                    ))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Version, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!(
                        "version `{v}` is out of range: versions start at 1 and go up by one"
                    ))),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

pub(super) struct Title(pub(super) String);

impl<'de> Deserialize<'de> for Title {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a title", |s| {
            let s = s.trim();
            if s.is_empty() {
                Err("the title is empty: write `title: Some words`".to_string())
            } else {
                Ok(Title(crate::smart::smarten(s).into_owned()))
            }
        })
    }
}

/// Markdown text; a number or `true` is taken as its text, `~` or an empty value as "".
pub(super) struct Body(pub(super) String);

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Body;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("Markdown text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Body, E> {
                Ok(Body(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Body, E> {
                Ok(Body(String::new()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Body, E> {
                Ok(Body(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Body, E> {
                Ok(Body(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Body, E> {
                Ok(Body(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Body, E> {
                Ok(Body(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `dimensions:` in declaration order (the order breaks ties). Keys are checked while the
/// deserializer is on them, so a bad or repeated key is pointed at directly.
pub(super) struct Dimensions(pub(super) Vec<Dimension>);

impl<'de> Deserialize<'de> for Dimensions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Dimensions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of dimensions: `key: { title: ..., body: ... }`")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Dimensions, E> {
                Ok(Dimensions(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dimensions, A::Error> {
                let mut dims: Vec<Dimension> = Vec::new();
                // The keys so far, for the "declared twice" check in constant time.
                let mut seen: HashSet<String> = HashSet::new();
                while let Some(key) = map.next_key_seed(DimensionKey { seen: &seen })? {
                    seen.insert(key.clone());
                    let raw: RawDimension = map.next_value()?;
                    dims.push(Dimension {
                        key,
                        title: raw.title.0,
                        body: raw.body.0,
                    });
                }
                Ok(Dimensions(dims))
            }
        }
        deserializer.deserialize_any(V)
    }
}

struct DimensionKey<'a> {
    seen: &'a HashSet<String>,
}

impl<'de> DeserializeSeed<'de> for DimensionKey<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        yaml::validated_str(deserializer, "a dimension key", |s| {
            if !is_key(s) {
                Err(format!(
                    "dimension key `{s}` is not valid: use only lowercase letters, digits and `-` (it appears in result URLs), e.g. `{}`",
                    suggest_key(s)
                ))
            } else if self.seen.contains(s) {
                Err(format!("dimension `{s}` is declared twice"))
            } else {
                Ok(s.to_string())
            }
        })
    }
}
