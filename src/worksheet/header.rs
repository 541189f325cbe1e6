//! The `worksheet:` front-matter key: id, version and how results are chosen.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::DeserializeSeed};

use super::probe::YPath;
use super::source::{Issue, YamlText};
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::model::slug::slugify;
use crate::yaml;

/// A parsed, validated `worksheet:` header.
#[derive(Debug, Clone)]
pub struct Header {
    pub id: String,
    pub version: u32,
    pub result: Outcomes,
    /// Where the front matter is in the file, to locate later errors (band coverage).
    pub(crate) yaml: Range<usize>,
}

/// How a worksheet picks its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultBy {
    /// The highest-scoring dimension wins (ties: the one declared first).
    Top,
    /// The total score falls into one band.
    Bands,
}

impl ResultBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultBy::Top => "top",
            ResultBy::Bands => "bands",
        }
    }
}

/// The results a worksheet can give, in declaration order.
#[derive(Debug, Clone)]
pub enum Outcomes {
    Top(Vec<Dimension>),
    Bands(Vec<Band>),
}

impl Outcomes {
    pub fn by(&self) -> ResultBy {
        match self {
            Outcomes::Top(_) => ResultBy::Top,
            Outcomes::Bands(_) => ResultBy::Bands,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub key: String,
    pub title: String,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Given, or the slugified title.
    pub key: String,
    /// `None`: one above the previous band's max (the lowest reachable total for the first).
    pub min: Option<i64>,
    pub max: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// Reads `worksheet:` from the front matter YAML at `yaml` in `source_text`.
pub fn parse_header(
    shown: &Path,
    source_text: &str,
    yaml: Range<usize>,
) -> Result<Header, Vec<Diagnostic>> {
    let text = YamlText::front_matter(shown, source_text, yaml.clone());
    let wrapper: Wrapper = yaml::from_str(text.text).map_err(|err| {
        // `YamlError::to_diagnostic` searches for an unknown key's text, which never ends
        // for an empty key (`"": x`), so that one case is reported here.
        if err.message.contains("unknown field ``") {
            let at = err.offset.unwrap_or(0);
            return vec![
                Diagnostic::error("empty key in the worksheet front matter")
                    .at(text.location(at, 1))
                    .help("every key needs a name; remove the `\"\"` key"),
            ];
        }
        vec![err.to_diagnostic(shown, source_text, text.offset, "worksheet")]
    })?;
    let raw = wrapper.worksheet;
    let mut issues = Vec::new();
    let result_path = YPath::root().at("worksheet").at("result");
    let result = match raw.result.by {
        ResultBy::Top => {
            if raw.result.bands.is_some() {
                issues.push(
                    Issue::error(
                        result_path.key("bands"),
                        "`bands` is only used with `by: bands`",
                    )
                    .help("remove `bands`, or set `by: bands` to score by total"),
                );
            }
            let dims = raw.result.dimensions.map(|d| d.0).unwrap_or_default();
            if dims.is_empty() {
                issues.push(
                    Issue::error(result_path.key("by"), "`by: top` needs `dimensions`")
                        .label("no dimensions to choose from")
                        .help(
                            "add `dimensions: { key: { title: ..., body: ... } }` under `result`",
                        ),
                );
            }
            Outcomes::Top(dims)
        }
        ResultBy::Bands => {
            if raw.result.dimensions.is_some() {
                issues.push(
                    Issue::error(
                        result_path.key("dimensions"),
                        "`dimensions` is only used with `by: top`",
                    )
                    .help("remove `dimensions`, or set `by: top` to score by dimension"),
                );
            }
            let raw_bands = raw.result.bands.unwrap_or_default();
            if raw_bands.is_empty() {
                issues.push(
                    Issue::error(result_path.key("by"), "`by: bands` needs `bands`")
                        .label("no bands to choose from")
                        .help(
                            "add `bands: [{ max: 5, title: ..., body: ... }, ...]` under `result`",
                        ),
                );
            }
            Outcomes::Bands(bands(raw_bands, &result_path.at("bands"), &mut issues))
        }
    };
    if issues.is_empty() {
        Ok(Header {
            id: raw.id.0,
            version: raw.version.0,
            result,
            yaml,
        })
    } else {
        Err(text.diagnostics(&issues))
    }
}

fn bands(raw: Vec<RawBand>, path: &YPath, issues: &mut Vec<Issue>) -> Vec<Band> {
    let mut out: Vec<Band> = Vec::with_capacity(raw.len());
    for (i, band) in raw.into_iter().enumerate() {
        let here = path.index(i);
        let explicit = band.key.is_some();
        let key = match band.key {
            Some(key) => key.0,
            None => {
                let key = slugify(&band.title.0);
                if key.is_empty() {
                    issues.push(
                        Issue::error(here.at("title"), "this band's title gives no URL key")
                            .help("add `key: some-name` ([a-z0-9-]) to the band"),
                    );
                }
                key
            }
        };
        if let Some(first) = out.iter().find(|b| b.key == key && !key.is_empty()) {
            let at = if explicit {
                here.at("key")
            } else {
                here.at("title")
            };
            issues.push(
                Issue::error(at, format!("two bands have the key `{key}`"))
                    .label(format!("also the key of `{}`", first.title))
                    .help("band keys are URL segments and must differ; set `key:` on one of them"),
            );
        }
        out.push(Band {
            key,
            min: band.min,
            max: band.max,
            title: band.title.0,
            body: band.body.0,
        });
    }
    out
}

impl Header {
    /// Where `worksheet: id:` is, for the site-wide duplicate-id error.
    pub fn id_location(&self, shown: &Path, source: &str) -> Location {
        let text = YamlText::front_matter(shown, source, self.yaml.clone());
        text.diagnostic(&Issue::error(YPath::root().at("worksheet").at("id"), ""))
            .location
            .map_or_else(|| Location::file_only(shown), |l| *l)
    }
}

#[derive(Deserialize)]
struct Wrapper {
    worksheet: RawHeader,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "the worksheet header: `id`, `version` and `result`"
)]
struct RawHeader {
    id: Key,
    version: Version,
    result: RawResult,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "`result`: `by` with `dimensions` or `bands`"
)]
struct RawResult {
    by: ResultBy,
    dimensions: Option<Dimensions>,
    bands: Option<Vec<RawBand>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a dimension: `{ title: ..., body: ... }`"
)]
struct RawDimension {
    title: Title,
    body: Body,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a band: `{ max: ..., title: ..., body: ... }`"
)]
struct RawBand {
    key: Option<Key>,
    min: Option<i64>,
    max: i64,
    title: Title,
    body: Body,
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
pub(crate) fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct Key(String);

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
pub(crate) fn suggest_key(s: &str) -> String {
    let slug = slugify(s);
    if slug.is_empty() {
        "my-key".to_string()
    } else {
        slug
    }
}

struct Version(u32);

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

struct Title(String);

impl<'de> Deserialize<'de> for Title {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a title", |s| {
            let s = s.trim();
            if s.is_empty() {
                Err("the title is empty: write `title: Some words`".to_string())
            } else {
                Ok(Title(s.to_string()))
            }
        })
    }
}

/// Markdown text; a number or `true` is taken as its text, `~` or an empty value as "".
struct Body(String);

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
struct Dimensions(Vec<Dimension>);

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
                while let Some(key) = map.next_key_seed(DimensionKey { seen: &dims })? {
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
    seen: &'a [Dimension],
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
            } else if self.seen.iter().any(|d| d.key == s) {
                Err(format!("dimension `{s}` is declared twice"))
            } else {
                Ok(s.to_string())
            }
        })
    }
}
