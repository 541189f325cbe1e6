//! The worksheet definition embedded as `<script type="application/json" id="ws-definition">`
//! for `worksheet.js`: ids, scoring and limits, everything the script needs to score
//! answers and to rebuild a shared link's answers through an allowlist.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::header::ResultBy;
use super::question::{Question, Score};

/// A result as the definition lists it.
pub(super) struct ResultDef<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
    /// Bands only: the resolved range of totals.
    pub range: Option<(i64, i64)>,
}

#[derive(Serialize)]
struct Definition<'a> {
    id: &'a str,
    version: u32,
    hash: &'a str,
    by: &'static str,
    results: Vec<ResultJson<'a>>,
    questions: Vec<QuestionJson<'a>>,
}

#[derive(Serialize)]
struct ResultJson<'a> {
    key: &'a str,
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
}

#[derive(Serialize)]
struct QuestionJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    share: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<OptionJson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correct: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<&'a Score>,
}

#[derive(Serialize)]
struct OptionJson<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<&'a Score>,
}

/// A number written as an integer when it is one (`3`, not `3.0`).
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Score::Total(n) => Num(*n).serialize(s),
            Score::Dims(dims) => {
                let mut map = s.serialize_map(Some(dims.len()))?;
                for (dim, n) in dims {
                    map.serialize_entry(dim, &Num(*n))?;
                }
                map.end()
            }
        }
    }
}

/// The definition as JSON safe to put inside `<script>`: every `<` is written `\u003c`, so
/// neither `</script` nor `<!--` can occur whatever the author wrote.
pub(super) fn definition_json(
    id: &str,
    version: u32,
    hash: &str,
    by: ResultBy,
    results: &[ResultDef],
    questions: &[Question],
) -> String {
    let definition = Definition {
        id,
        version,
        hash,
        by: by.as_str(),
        results: results
            .iter()
            .map(|r| ResultJson {
                key: r.key,
                title: r.title,
                url: &r.url,
                min: r.range.map(|(min, _)| min),
                max: r.range.map(|(_, max)| max),
            })
            .collect(),
        questions: questions.iter().map(question).collect(),
    };
    let json = serde_json::to_string(&definition).unwrap_or_else(|_| "{}".to_string());
    json.replace('<', "\\u003c")
}

fn question(q: &Question) -> QuestionJson<'_> {
    QuestionJson {
        id: &q.id,
        kind: q.kind.as_str(),
        share: q.share,
        options: q.kind.has_options().then(|| {
            q.options
                .iter()
                .map(|o| OptionJson {
                    id: &o.id,
                    score: o.score.as_ref(),
                })
                .collect()
        }),
        correct: q.correct.as_deref(),
        min: q.min.map(Num),
        max: q.max.map(Num),
        step: q.step.map(Num),
        max_length: q.max_length,
        score: q.score.as_ref(),
    }
}
