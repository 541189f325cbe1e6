//! The `worksheet:` front-matter key: id, version and how results are chosen.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

mod raw;

use raw::{RawBand, Wrapper};
pub(super) use raw::{is_key, suggest_key};

use super::probe::YPath;
use super::source::{Issue, YamlText};
use crate::diagnostic::{Diagnostic, Location};
use crate::slug::slugify;
use crate::yaml;

/// A parsed, validated `worksheet:` header.
#[derive(Debug, Clone)]
pub(crate) struct Header {
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
pub(crate) enum Outcomes {
    Top(Vec<Dimension>),
    Bands(Vec<Band>),
}

impl Outcomes {
    pub(crate) fn by(&self) -> ResultBy {
        match self {
            Outcomes::Top(_) => ResultBy::Top,
            Outcomes::Bands(_) => ResultBy::Bands,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dimension {
    pub key: String,
    pub title: String,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Band {
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
pub(crate) fn parse_header(
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
    // Band key -> its place in `out`, for the duplicate check in constant time.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(raw.len());
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
        if let Some(first) = seen.get(&key).filter(|_| !key.is_empty()).map(|&i| &out[i]) {
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
        seen.entry(key.clone()).or_insert(out.len());
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
    pub(crate) fn id_location(&self, shown: &Path, source: &str) -> Location {
        let text = YamlText::front_matter(shown, source, self.yaml.clone());
        text.diagnostic(&Issue::error(YPath::root().at("worksheet").at("id"), ""))
            .location
            .map_or_else(|| Location::file_only(shown), |l| *l)
    }
}
