//! Numbers and ranges: scores, `min`/`max`/`step`, `scale`, `max_length`.

use super::{Entries, MAX_LENGTH_LIMIT, SCALE_STEPS_LIMIT, Walker, describe, scalar_text, untag};
use crate::diagnostic::did_you_mean;
use crate::worksheet::header::Outcomes;
use crate::worksheet::probe::YPath;
use crate::worksheet::question::{Question, Score};
use crate::worksheet::source::Issue;
use crate::yaml::Value;

impl Walker<'_> {
    pub(super) fn score(&mut self, v: &Value, at: YPath) -> Option<Score> {
        match self.result {
            Outcomes::Top(dims) => {
                // The list is for messages only (first few keys, only when shown).
                let keys = || {
                    let keys: Vec<&str> = dims.iter().take(20).map(|d| d.key.as_str()).collect();
                    let more = dims.len().saturating_sub(keys.len());
                    let list = keys.join(", ");
                    let first = keys.first().copied().unwrap_or("dimension").to_string();
                    if more > 0 {
                        (first, format!("{list}, and {more} more"))
                    } else {
                        (first, list)
                    }
                };
                let Some(entries) = self.entries(v, &at, "this score") else {
                    let (first, list) = keys();
                    self.error(
                        Issue::error(at, "in a `by: top` worksheet a score names its dimensions")
                            .label(format!("expected a map, found {}", describe(untag(v))))
                            .help(format!(
                                "write `score: {{ {first}: 1 }}`; dimensions: {list}"
                            )),
                    );
                    return None;
                };
                let mut out = Vec::with_capacity(entries.0.len());
                let mut ok = true;
                for (dim, value) in &entries.0 {
                    if !self.dimension_keys.contains(dim.as_str()) {
                        ok = false;
                        let issue = Issue::error(at.key(dim), format!("unknown dimension `{dim}`"));
                        let issue = if self.shown() {
                            let issue = issue.help(format!(
                                "dimensions declared in the front matter: {}",
                                keys().1
                            ));
                            match did_you_mean(dim, dims.iter().map(|d| d.key.as_str())) {
                                Some(hint) => issue.label(format!("did you mean `{hint}`?")),
                                None => issue.label("not a declared dimension"),
                            }
                        } else {
                            issue
                        };
                        self.error(issue);
                        continue;
                    }
                    match self.number(value, at.at(dim), "a score") {
                        Some(n) => out.push((dim.clone(), n)),
                        None => ok = false,
                    }
                }
                ok.then_some(Score::Dims(out))
            }
            Outcomes::Bands(_) => {
                if matches!(untag(v), Value::Mapping(_)) {
                    self.error(
                        Issue::error(at, "in a `by: bands` worksheet a score is one number")
                            .label("found a map")
                            .help("write `score: 2`; scores per dimension are for `by: top`"),
                    );
                    return None;
                }
                let n = self.number(v, at.clone(), "a score")?;
                if n.fract() != 0.0 {
                    self.error(
                        Issue::error(
                            at,
                            "scores must be whole numbers in a `by: bands` worksheet",
                        )
                        .help("totals are matched against bands of whole numbers"),
                    );
                    return None;
                }
                Some(Score::Total(n))
            }
        }
    }

    pub(super) fn number(&mut self, v: &Value, at: YPath, what: &str) -> Option<f64> {
        let n = match untag(v) {
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n.abs() <= 1e15 => Some(n),
            Some(_) => {
                self.error(Issue::error(
                    at,
                    format!("{what} must be a finite number of at most 15 digits"),
                ));
                None
            }
            None => {
                self.error(Issue::error(
                    at,
                    format!("{what} must be a number, not {}", describe(untag(v))),
                ));
                None
            }
        }
    }

    pub(super) fn integer(&mut self, v: &Value, at: YPath, what: &str) -> Option<i64> {
        let n = self.number(v, at.clone(), what)?;
        if n.fract() != 0.0 {
            self.error(Issue::error(at, format!("{what} must be a whole number")));
            return None;
        }
        Some(n as i64)
    }

    pub(super) fn multi_limits(&mut self, entries: &Entries, at: &YPath, q: &mut Question) {
        let count = q.options.len() as i64;
        let limit = |this: &mut Self, key: &str| -> Option<i64> {
            let v = entries.get(key)?;
            let n = this.integer(v, at.at(key), &format!("`{key}`"))?;
            if n < 0 {
                this.error(Issue::error(
                    at.at(key),
                    format!("`{key}` cannot be negative"),
                ));
                return None;
            }
            Some(n)
        };
        let min = limit(self, "min");
        let max = limit(self, "max");
        if max == Some(0) {
            self.error(
                Issue::error(at.at("max"), "`max` is 0, so nothing could be chosen")
                    .help("set `max` to 1 or more, or leave it out"),
            );
        }
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            self.error(
                Issue::error(
                    at.at("max"),
                    format!("`max` ({max}) is less than `min` ({min})"),
                )
                .help("`min` and `max` say how many options may be chosen"),
            );
        }
        if !q.options.is_empty() {
            for (key, n) in [("min", min), ("max", max)] {
                if let Some(n) = n.filter(|n| *n > count) {
                    self.error(
                        Issue::error(
                            at.at(key),
                            format!("`{key}` is {n} but the question has only {count} options"),
                        )
                        .help("`min` and `max` say how many options may be chosen"),
                    );
                }
            }
        }
        q.min = min.map(|n| n as f64);
        q.max = max.map(|n| n as f64);
    }

    pub(super) fn scale(&mut self, entries: &Entries, at: &YPath, q: &mut Question) {
        let help = "write `scale: { min: 1, max: 5, min_label: Never, max_label: Always }`";
        let here = at.at("scale");
        let Some(v) = entries.get("scale") else {
            self.error(
                Issue::error(
                    at.at("type"),
                    "a scale question needs `scale: { min, max }`",
                )
                .help(help),
            );
            return;
        };
        let Some(scale) = self.entries(v, &here, "`scale`") else {
            self.error(
                Issue::error(
                    here,
                    format!("`scale` must be a map, not {}", describe(untag(v))),
                )
                .help(help),
            );
            return;
        };
        const KEYS: [&str; 4] = ["min", "max", "min_label", "max_label"];
        for (key, _) in &scale.0 {
            if !KEYS.contains(&key.as_str()) {
                let issue = Issue::error(here.key(key), format!("unknown scale key `{key}`"))
                    .help("`scale` takes: min, max, min_label, max_label");
                self.error(match did_you_mean(key, KEYS) {
                    Some(hint) => issue.label(format!("did you mean `{hint}`?")),
                    None => issue.label("not a known key"),
                });
            }
        }
        let end = |this: &mut Self, key: &str| -> Option<i64> {
            match scale.get(key) {
                Some(v) => this.integer(v, here.at(key), &format!("the scale's `{key}`")),
                None => {
                    this.error(
                        Issue::error(here.clone(), format!("`scale` has no `{key}`")).help(help),
                    );
                    None
                }
            }
        };
        let min = end(self, "min");
        let max = end(self, "max");
        if let (Some(min), Some(max)) = (min, max) {
            if min >= max {
                self.error(
                    Issue::error(
                        here.at("max"),
                        format!("the scale's `max` ({max}) must be greater than its `min` ({min})"),
                    )
                    .help(help),
                );
            } else if max - min + 1 > SCALE_STEPS_LIMIT {
                self.error(
                    Issue::error(
                        here.at("max"),
                        format!(
                            "a scale has at most {SCALE_STEPS_LIMIT} steps; {min} to {max} has {}",
                            max - min + 1
                        ),
                    )
                    .help("use a narrower scale, or a `number` question"),
                );
            }
        }
        q.min = min.map(|n| n as f64);
        q.max = max.map(|n| n as f64);
        for (key, slot) in [
            ("min_label", &mut q.min_label),
            ("max_label", &mut q.max_label),
        ] {
            if let Some(v) = scale.get(key) {
                match scalar_text(v) {
                    Some(text) if !text.trim().is_empty() => *slot = Some(text.trim().to_string()),
                    Some(_) => {}
                    None if matches!(untag(v), Value::Null) => {}
                    None => self.error(Issue::error(
                        here.at(key),
                        format!("`{key}` must be text, not {}", describe(untag(v))),
                    )),
                }
            }
        }
    }

    pub(super) fn number_range(&mut self, entries: &Entries, at: &YPath, q: &mut Question) {
        q.min = entries
            .get("min")
            .and_then(|v| self.number(v, at.at("min"), "`min`"));
        q.max = entries
            .get("max")
            .and_then(|v| self.number(v, at.at("max"), "`max`"));
        if let (Some(min), Some(max)) = (q.min, q.max)
            && min > max
        {
            self.error(
                Issue::error(
                    at.at("max"),
                    format!("`max` ({max}) is less than `min` ({min})"),
                )
                .help("`min` and `max` are the range of accepted values"),
            );
        }
        if let Some(v) = entries.get("step") {
            match self.number(v, at.at("step"), "`step`") {
                Some(step) if step > 0.0 => q.step = Some(step),
                Some(_) => self.error(Issue::error(at.at("step"), "`step` must be greater than 0")),
                None => {}
            }
        }
    }

    pub(super) fn max_length(&mut self, v: &Value, at: YPath) -> Option<u32> {
        let n = self.integer(v, at.clone(), "`max_length`")?;
        if (1..=i64::from(MAX_LENGTH_LIMIT)).contains(&n) {
            Some(n as u32)
        } else {
            self.error(Issue::error(
                at,
                format!("`max_length` must be between 1 and {MAX_LENGTH_LIMIT}, not {n}"),
            ));
            None
        }
    }
}
