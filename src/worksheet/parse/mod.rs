//! Reading one ```` ```worksheet ```` block into questions, checking every key and value.
//!
//! The block is parsed to a YAML value first and then walked by hand rather than through
//! serde derive: the keys a question takes depend on its `type`, and a walk can report
//! every problem of a block at once, each pointing at its own key or value (see
//! [`super::probe`]), with messages that say how to fix it.

use std::collections::HashSet;

mod choices;
mod scalars;
mod values;

use super::bands;
use super::header::{Outcomes, is_key, suggest_key};
use super::markup;
use super::probe::YPath;
use super::question::{ALL_KEYS, COMMON_KEYS, QType, Question};
use super::source::{Issue, MAX_REPORTED};
use crate::diagnostic::did_you_mean;
use crate::yaml::{self, Value, YamlError};
use scalars::{describe, scalar_text, untag};

/// Largest `max_length` a text answer may have.
pub(super) const MAX_LENGTH_LIMIT: u32 = 5000;
/// Most values a scale may have (`min..=max`).
pub(super) const SCALE_STEPS_LIMIT: i64 = 11;

/// The questions of a block (those without problems), and the problems.
#[derive(Debug, Default)]
pub(super) struct Parsed {
    pub questions: Vec<(Question, YPath)>,
    /// Ids of every question whose id could be read, for duplicate checks, with where.
    pub ids: Vec<(String, YPath)>,
    pub issues: Vec<Issue>,
}

/// Parses a block's YAML text. A YAML syntax error is returned as is (serde_yaml locates it);
/// everything else becomes located [`Issue`]s in [`Parsed`].
#[cfg(test)]
pub(super) fn parse_block(text: &str, result: &Outcomes) -> Result<Parsed, YamlError> {
    parse_block_with(text, result, &dimension_keys(result))
}

/// The dimension keys of a `by: top` worksheet, made once per page: a score's keys are
/// looked up in it (a search of the list per key grew with dimensions × scores).
pub(super) fn dimension_keys(result: &Outcomes) -> HashSet<String> {
    match result {
        Outcomes::Top(dims) => dims.iter().map(|d| d.key.clone()).collect(),
        Outcomes::Bands(_) => HashSet::new(),
    }
}

/// [`parse_block`] with the page's [`dimension_keys`].
pub(super) fn parse_block_with(
    text: &str,
    result: &Outcomes,
    dimension_keys: &HashSet<String>,
) -> Result<Parsed, YamlError> {
    let mut walker = Walker {
        result,
        dimension_keys,
        parsed: Parsed::default(),
        error_count: 0,
    };
    let root = YPath::root();
    if text.trim().is_empty() {
        walker.error(
            Issue::error(root, "this worksheet block is empty")
                .help("add questions: `- { id: ..., type: single, prompt: ..., options: [...] }`"),
        );
        return Ok(walker.parsed);
    }
    let value: Value = yaml::from_str(text)?;
    match untag(&value) {
        Value::Sequence(items) if items.is_empty() => walker.error(
            Issue::error(root, "this worksheet block has no questions")
                .help("add questions: `- { id: ..., type: single, prompt: ..., options: [...] }`"),
        ),
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                walker.question(item, root.index(i));
            }
        }
        Value::Mapping(_) => walker.question(&value, root),
        other => walker.error(
            Issue::error(
                root,
                format!(
                    "a worksheet block holds a question or a list of questions, not {}",
                    describe(other)
                ),
            )
            .help("write `- id: ...` lines, one list item per question"),
        ),
    }
    Ok(walker.parsed)
}

struct Walker<'a> {
    result: &'a Outcomes,
    dimension_keys: &'a HashSet<String>,
    parsed: Parsed,
    /// Errors among `parsed.issues`, kept as they are added: counting them per question
    /// made a block of 20,000 faulty questions quadratic.
    error_count: usize,
}

/// A question's keys in order, as text.
struct Entries<'v>(Vec<(String, &'v Value)>);

impl<'v> Entries<'v> {
    fn get(&self, key: &str) -> Option<&'v Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

impl Walker<'_> {
    fn error(&mut self, issue: Issue) {
        self.error_count += usize::from(issue.is_error());
        self.parsed.issues.push(issue);
    }

    fn errors(&self) -> usize {
        self.error_count
    }

    /// Whether another issue would still be shown (located, with its hints): past
    /// [`MAX_REPORTED`] issues are only counted, so costly hints are skipped.
    fn shown(&self) -> bool {
        self.parsed.issues.len() < MAX_REPORTED
    }

    /// The entries of a mapping; a non-text key is reported at the mapping.
    fn entries<'v>(&mut self, value: &'v Value, at: &YPath, what: &str) -> Option<Entries<'v>> {
        let Value::Mapping(map) = untag(value) else {
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (k, v) in map {
            match scalar_text(k) {
                Some(k) => entries.push((k, v)),
                None => self.error(Issue::error(
                    at.clone(),
                    format!("{what} has a key that is not text"),
                )),
            }
        }
        Some(Entries(entries))
    }

    fn question(&mut self, value: &Value, at: YPath) {
        let before = self.errors();
        let Some(entries) = self.entries(value, &at, "this question") else {
            self.error(
                Issue::error(
                    at,
                    format!(
                        "a question is a map of keys, not {}",
                        describe(untag(value))
                    ),
                )
                .help("write `- id: ...` with `type:` and `prompt:` indented under it"),
            );
            return;
        };
        let id = self.question_id(&entries, &at);
        let kind = self.kind(&entries, &at);
        for (key, _) in &entries.0 {
            self.check_key(kind, key, &at);
        }
        let prompt_html = self.prompt(&entries, &at, id.as_deref());
        let (Some(id), Some(kind), Some(prompt_html)) = (id, kind, prompt_html) else {
            return;
        };
        let share = match entries.get("share") {
            None => true,
            Some(v) => match untag(v) {
                Value::Bool(b) => *b,
                other => {
                    self.error(Issue::error(
                        at.at("share"),
                        format!("`share` must be `true` or `false`, not {}", describe(other)),
                    ));
                    true
                }
            },
        };
        let mut q = Question {
            id,
            kind,
            prompt_html,
            share,
            options: Vec::new(),
            correct: None,
            explain: None,
            min: None,
            max: None,
            step: None,
            min_label: None,
            max_label: None,
            max_length: kind.default_max_length(),
            score: None,
        };
        if kind.has_options() {
            q.options = self.options(&entries, &at, kind);
        }
        match kind {
            QType::Multi => self.multi_limits(&entries, &at, &mut q),
            QType::Scale => self.scale(&entries, &at, &mut q),
            QType::Number => self.number_range(&entries, &at, &mut q),
            QType::Text | QType::Textarea => {
                if let Some(v) = entries.get("max_length") {
                    q.max_length = self.max_length(v, at.at("max_length"));
                }
            }
            _ => {}
        }
        if matches!(kind, QType::Scale | QType::Number)
            && let Some(v) = entries.get("score")
        {
            q.score = self.score(v, at.at("score"));
        }
        if kind.can_be_correct() {
            self.correct(&entries, &at, &mut q);
        }
        if self.errors() == before {
            for issue in bands::check_question(&q, self.result, &at) {
                self.error(issue);
            }
        }
        if self.errors() == before {
            self.parsed.questions.push((q, at));
        }
    }

    fn question_id(&mut self, entries: &Entries, at: &YPath) -> Option<String> {
        let Some(v) = entries.get("id") else {
            self.error(Issue::error(at.clone(), "this question has no `id`").help(
                "add `id: some-name` ([a-z0-9-], unique on the page); answers are stored under it",
            ));
            return None;
        };
        let id = self.key_value(v, at.at("id"), "question id")?;
        self.parsed.ids.push((id.clone(), at.at("id")));
        Some(id)
    }

    /// A `[a-z0-9-]+` value (question and option ids).
    fn key_value(&mut self, v: &Value, at: YPath, what: &str) -> Option<String> {
        match scalar_text(v) {
            Some(s) if is_key(&s) => Some(s),
            Some(s) => {
                self.error(
                    Issue::error(at, format!("{what} `{s}` is not valid"))
                        .label("use only lowercase letters, digits and `-`")
                        .help(format!(
                            "ids appear in links and storage keys; try `{}`",
                            suggest_key(&s)
                        )),
                );
                None
            }
            None => {
                self.error(Issue::error(
                    at,
                    format!(
                        "a {what} must be text like `my-id`, not {}",
                        describe(untag(v))
                    ),
                ));
                None
            }
        }
    }

    fn kind(&mut self, entries: &Entries, at: &YPath) -> Option<QType> {
        let names = QType::ALL.map(QType::as_str);
        let Some(v) = entries.get("type") else {
            self.error(
                Issue::error(at.clone(), "this question has no `type`")
                    .help(format!("add `type: single` (one of: {})", names.join(", "))),
            );
            return None;
        };
        let name = scalar_text(v).unwrap_or_default();
        if let Some(kind) = QType::parse(&name) {
            return Some(kind);
        }
        let mut issue = Issue::error(
            at.at("type"),
            format!(
                "unknown question type `{}`",
                if name.is_empty() {
                    describe(untag(v)).to_string()
                } else {
                    name.clone()
                }
            ),
        )
        .help(format!("question types: {}", names.join(", ")));
        issue = match did_you_mean(&name, names) {
            Some(hint) => issue.label(format!("did you mean `{hint}`?")),
            None => issue.label("not a question type"),
        };
        self.error(issue);
        None
    }

    fn check_key(&mut self, kind: Option<QType>, key: &str, at: &YPath) {
        let Some(kind) = kind else {
            if !ALL_KEYS.contains(&key) {
                let mut issue = Issue::error(at.key(key), format!("unknown question key `{key}`"))
                    .help(format!("question keys: {}", ALL_KEYS.join(", ")));
                if let Some(hint) = did_you_mean(key, ALL_KEYS) {
                    issue = issue.label(format!("did you mean `{hint}`?"));
                }
                self.error(issue);
            }
            return;
        };
        if kind.allows(key) {
            return;
        }
        let name = kind.as_str();
        let takes: Vec<&str> = COMMON_KEYS.iter().chain(kind.own_keys()).copied().collect();
        let takes_help = format!("{name} questions take: {}", takes.join(", "));
        if ALL_KEYS.contains(&key) {
            let help = match key {
                "score" if kind.has_options() => {
                    "put scores on the options: `- { id: a, label: A, score: ... }`".to_string()
                }
                "min" | "max" if kind == QType::Scale => {
                    "set the ends of a scale with `scale: { min: 1, max: 5 }`".to_string()
                }
                "options" if kind == QType::Scale => {
                    "a scale question takes `scale: { min: 1, max: 5 }` instead of options"
                        .to_string()
                }
                "correct" | "explain" => {
                    "only single, multi and checklist questions have a correct answer".to_string()
                }
                "max_length" => "only text and textarea questions take `max_length`".to_string(),
                _ => takes_help,
            };
            self.error(
                Issue::error(
                    at.key(key),
                    format!("`{key}` does not apply to a {name} question"),
                )
                .label(format!("not used by {name} questions"))
                .help(help),
            );
            return;
        }
        let hint = did_you_mean(key, takes.iter().copied()).or_else(|| did_you_mean(key, ALL_KEYS));
        let issue = Issue::error(
            at.key(key),
            format!("unknown key `{key}` in a {name} question"),
        )
        .help(takes_help);
        self.error(match hint {
            Some(hint) => issue.label(format!("did you mean `{hint}`?")),
            None => issue.label("not a known key"),
        });
    }

    fn prompt(&mut self, entries: &Entries, at: &YPath, id: Option<&str>) -> Option<String> {
        let Some(v) = entries.get("prompt") else {
            let which = id.map(|id| format!(" `{id}`")).unwrap_or_default();
            self.error(
                Issue::error(at.clone(), format!("question{which} has no `prompt`"))
                    .help("add `prompt: The question, in Markdown`"),
            );
            return None;
        };
        let text = match untag(v) {
            Value::Null => String::new(),
            other => match scalar_text(other) {
                Some(text) => text,
                None => {
                    self.error(Issue::error(
                        at.at("prompt"),
                        format!("the prompt must be text, not {}", describe(other)),
                    ));
                    return None;
                }
            },
        };
        if text.trim().is_empty() {
            self.error(
                Issue::error(at.key("prompt"), "empty prompt")
                    .label("the question's text is missing")
                    .help("write the question after `prompt:`"),
            );
            return None;
        }
        match markup::inline(&text) {
            Ok(html) => Some(html),
            Err(found) => {
                self.error(
                    Issue::error(at.at("prompt"), format!("a prompt is one paragraph of text; this one has {found}"))
                        .help("put longer text in the prose before the block; a leading `#`, `-`, `>` or `1.` can be escaped with `\\`"),
                );
                None
            }
        }
    }
}
