//! Choice questions: `options` and `correct`.

use std::collections::{HashMap, HashSet};

use super::{Entries, Walker, describe, scalar_text, untag};
use crate::diagnostic::did_you_mean;
use crate::worksheet::probe::YPath;
use crate::worksheet::question::{Opt, QType, Question};
use crate::worksheet::source::Issue;
use crate::yaml::Value;

impl Walker<'_> {
    pub(super) fn options(&mut self, entries: &Entries, at: &YPath, kind: QType) -> Vec<Opt> {
        let name = kind.as_str();
        let help = "add `options:` with one `- { id: a, label: A }` per choice";
        let Some(v) = entries.get("options") else {
            self.error(
                Issue::error(at.at("type"), format!("a {name} question needs `options`"))
                    .help(help),
            );
            return Vec::new();
        };
        let items = match untag(v) {
            Value::Sequence(items) if !items.is_empty() => items,
            Value::Sequence(_) | Value::Null => {
                self.error(Issue::error(at.key("options"), "`options` is empty").help(help));
                return Vec::new();
            }
            other => {
                self.error(
                    Issue::error(
                        at.at("options"),
                        format!("`options` must be a list, not {}", describe(other)),
                    )
                    .help(help),
                );
                return Vec::new();
            }
        };
        let mut options: Vec<Opt> = Vec::with_capacity(items.len());
        // Option id -> its place among `options`, for the duplicate check (a map: a
        // search of the list per option was quadratic).
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let here = at.at("options").index(i);
            if let Some(option) = self.option(item, &here, &seen) {
                seen.entry(option.id.clone()).or_insert(options.len());
                options.push(option);
            }
        }
        options
    }

    /// One option; `earlier` holds the ids of the valid options before it.
    pub(super) fn option(
        &mut self,
        value: &Value,
        at: &YPath,
        earlier: &HashMap<String, usize>,
    ) -> Option<Opt> {
        let Some(entries) = self.entries(value, at, "this option") else {
            self.error(
                Issue::error(
                    at.clone(),
                    format!("an option is a map, not {}", describe(untag(value))),
                )
                .help("write options as `- { id: a, label: A }` (add `score: ...` to score them)"),
            );
            return None;
        };
        const KEYS: [&str; 3] = ["id", "label", "score"];
        for (key, _) in &entries.0 {
            if !KEYS.contains(&key.as_str()) {
                let issue = Issue::error(at.key(key), format!("unknown option key `{key}`"))
                    .help("options take: id, label, score");
                self.error(match did_you_mean(key, KEYS) {
                    Some(hint) => issue.label(format!("did you mean `{hint}`?")),
                    None => issue.label("not a known key"),
                });
            }
        }
        let id = match entries.get("id") {
            Some(v) => self.key_value(v, at.at("id"), "option id"),
            None => {
                self.error(
                    Issue::error(at.clone(), "this option has no `id`")
                        .help("add `id: some-name` ([a-z0-9-], unique in the question)"),
                );
                None
            }
        };
        if let Some(id) = &id
            && let Some(&first) = earlier.get(id)
        {
            self.error(
                Issue::error(
                    at.at("id"),
                    format!("option id `{id}` is used twice in this question"),
                )
                .label(format!("also option {}", first + 1))
                .help("give each option of a question its own id"),
            );
        }
        let empty_label = |at: &YPath| {
            Issue::error(at.key("label"), "empty option label")
                .help("write the choice's text after `label:`")
        };
        let label = match entries.get("label").map(untag) {
            None => {
                self.error(
                    Issue::error(at.clone(), "this option has no `label`")
                        .help("add `label: The text people choose`"),
                );
                None
            }
            Some(Value::Null) => {
                self.error(empty_label(at));
                None
            }
            Some(v) => match scalar_text(v) {
                Some(label) if !label.trim().is_empty() => Some(label.trim().to_string()),
                Some(_) => {
                    self.error(empty_label(at));
                    None
                }
                None => {
                    self.error(Issue::error(
                        at.at("label"),
                        format!("an option label must be text, not {}", describe(v)),
                    ));
                    None
                }
            },
        };
        let score = entries
            .get("score")
            .and_then(|v| self.score(v, at.at("score")));
        Some(Opt {
            id: id?,
            label: label?,
            score,
        })
    }

    pub(super) fn correct(&mut self, entries: &Entries, at: &YPath, q: &mut Question) {
        let explain = entries.get("explain");
        let Some(v) = entries.get("correct") else {
            if explain.is_some() {
                self.error(
                    Issue::error(at.key("explain"), "`explain` goes with `correct`")
                        .label("no `correct` answer to explain")
                        .help("add `correct:` with the right option id(s), or put the explanation in the prose"),
                );
            }
            return;
        };
        let ids: Vec<&str> = q.options.iter().map(|o| o.id.as_str()).collect();
        let known: HashSet<&str> = ids.iter().copied().collect();
        let items: Vec<(&Value, YPath)> = match (q.kind, untag(v)) {
            (QType::Single, Value::Sequence(items)) if items.len() != 1 => {
                self.error(
                    Issue::error(at.at("correct"), "a single question has one correct option")
                        .help("write `correct: option-id`"),
                );
                return;
            }
            (_, Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (item, at.at("correct").index(i)))
                .collect(),
            (_, _) => vec![(v, at.at("correct"))],
        };
        let mut correct: Vec<String> = Vec::with_capacity(items.len());
        let mut listed: HashSet<String> = HashSet::with_capacity(items.len());
        for (item, here) in items {
            let Some(id) = scalar_text(item) else {
                self.error(Issue::error(
                    here,
                    format!("`correct` names option ids, not {}", describe(untag(item))),
                ));
                continue;
            };
            if listed.contains(&id) {
                self.error(Issue::error(
                    here,
                    format!("option `{id}` is listed twice in `correct`"),
                ));
                continue;
            }
            if !known.contains(id.as_str()) && !q.options.is_empty() {
                let issue = Issue::error(
                    here,
                    format!("`correct` names `{id}`, which is not an option of this question"),
                );
                // The hint and the id list cost a pass over all options: only for the
                // issues that will be shown, and the list cut short.
                let issue = if self.shown() {
                    let issue = issue.help(format!("option ids: {}", id_list(&ids)));
                    match did_you_mean(&id, ids.iter().copied()) {
                        Some(hint) => issue.label(format!("did you mean `{hint}`?")),
                        None => issue.label("not an option id"),
                    }
                } else {
                    issue
                };
                self.error(issue);
                continue;
            }
            listed.insert(id.clone());
            correct.push(id);
        }
        if q.kind == QType::Multi {
            let n = correct.len() as f64;
            let too_few = q.min.is_some_and(|min| n < min);
            let too_many = q.max.is_some_and(|max| n > max);
            if too_few || too_many {
                self.error(
                    Issue::error(
                        at.at("correct"),
                        format!(
                            "`correct` lists {n} options, which cannot be chosen within `min`/`max`"
                        ),
                    )
                    .help("the correct answer must be a valid choice"),
                );
            }
        }
        q.correct = Some(correct);
        if let Some(v) = explain {
            match scalar_text(v) {
                Some(text) => q.explain = Some(text),
                None if matches!(untag(v), Value::Null) => {}
                None => self.error(Issue::error(
                    at.at("explain"),
                    format!(
                        "`explain` must be Markdown text, not {}",
                        describe(untag(v))
                    ),
                )),
            }
        }
    }
}

/// `a, b, c`, or the first few and how many more.
fn id_list(ids: &[&str]) -> String {
    const SHOWN: usize = 20;
    if ids.len() <= SHOWN {
        return ids.join(", ");
    }
    format!(
        "{}, and {} more",
        ids[..SHOWN].join(", "),
        ids.len() - SHOWN
    )
}
