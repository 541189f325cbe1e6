//! math-core's errors in the author's terms: what is wrong, where, and what to write instead.
//!
//! math-core 0.5 exposes an error's byte range and its message, not its kind, so the kinds
//! worth a better message are recognised by their message; anything else keeps math-core's
//! own words. An unknown command gets a "did you mean" found by asking math-core which
//! one-edit spellings it knows, so the suggestions are exactly the commands it renders.

use std::ops::Range;

use math_core::LatexError;

use super::convert::{Failure, MAX_FORMULA_BYTES, knows_command};
use crate::diagnostic::did_you_mean;

/// The environments math-core 0.5 renders, for messages and suggestions.
const ENVIRONMENTS: &[&str] = &[
    "align",
    "align*",
    "aligned",
    "array",
    "Bmatrix",
    "bmatrix",
    "cases",
    "equation",
    "equation*",
    "gather",
    "gather*",
    "gathered",
    "matrix",
    "multline",
    "pmatrix",
    "subarray",
    "Vmatrix",
    "vmatrix",
];

/// Commands that define commands, which math-core does not take in a formula.
const DEFINERS: &[&str] = &[
    "def",
    "gdef",
    "edef",
    "xdef",
    "let",
    "newcommand",
    "renewcommand",
    "providecommand",
    "DeclareMathOperator",
];

/// Longest command name a suggestion is looked for (each costs a few hundred tiny probes).
const MAX_SUGGESTED_NAME: usize = 24;

/// A formula's problem, with its byte range in the formula's TeX.
#[derive(Debug)]
pub(super) struct Problem {
    pub(super) message: String,
    pub(super) span: Range<usize>,
    pub(super) label: String,
    pub(super) help: String,
}

/// Explains `failure` for `tex`; `suggest` allows the probing for "did you mean".
pub(super) fn explain(tex: &str, display: bool, failure: &Failure, suggest: bool) -> Problem {
    let mut problem = match failure {
        Failure::TooLong => Problem {
            message: format!(
                "formula is {} KiB; the most sheaf renders is {} KiB",
                tex.len().div_ceil(1024),
                MAX_FORMULA_BYTES / 1024
            ),
            span: 0..0,
            label: "formula starts here".into(),
            help: "split it into several formulas".into(),
        },
        Failure::Crashed => Problem {
            message: "formula could not be rendered (math-core failed on it)".into(),
            span: 0..0,
            label: "formula starts here".into(),
            help: "simplify the formula; if it is valid LaTeX, please report it".into(),
        },
        Failure::Parse(error) => parse_error(tex, error, suggest),
    };
    if !display && looks_like_money(tex) {
        problem
            .help
            .push_str("; if these `$` signs are amounts of money, not math, write each as `\\$`");
    }
    problem
}

fn parse_error(tex: &str, error: &LatexError, suggest: bool) -> Problem {
    let message = error.error_message();
    let span = clamp(tex, error.0.clone());
    if let Some(name) = quoted(&message, "Unknown command \"\\") {
        return unknown_command(name, span, suggest);
    }
    if let Some(name) = quoted(&message, "Unknown environment \"") {
        let label = match did_you_mean(name, ENVIRONMENTS.iter().copied()) {
            Some(env) => format!("did you mean `{env}`?"),
            None => "unknown environment".into(),
        };
        return Problem {
            message: format!("unknown environment `{name}` in a formula"),
            span,
            label,
            help: format!("the environments are {}", ENVIRONMENTS.join(", ")),
        };
    }
    if let Some(token) = quoted(&message, "Expected token \"") {
        let help = match token {
            "}" => "close every `{` with a `}` (a literal brace is `\\{`)".into(),
            r"\right" => "close every `\\left` with a `\\right` (`\\right.` draws nothing)".into(),
            t if t.starts_with(r"\end") => "close every `\\begin{…}` with its `\\end{…}`".into(),
            t => format!("add the missing `{t}`"),
        };
        return Problem {
            message: format!("unclosed group in a formula: `{token}` is missing"),
            span,
            label: format!("expected `{token}` here"),
            help,
        };
    }
    if let Some(token) = quoted(&message, "Unmatched closing token: \"") {
        return Problem {
            message: format!("`{token}` in a formula closes nothing"),
            span,
            label: "nothing open to close".into(),
            help: if token == "}" {
                "remove it, or add the `{` it closes (a literal brace is `\\}`)".into()
            } else {
                format!("remove it, or add what `{token}` closes")
            },
        };
    }
    Problem {
        message: format!("formula does not parse: {}", sentence(&message)),
        span,
        label: "here".into(),
        help: "see the Math section of the writing guide for what formulas can contain".into(),
    }
}

fn unknown_command(name: &str, span: Range<usize>, suggest: bool) -> Problem {
    let (label, help) = if DEFINERS.contains(&name) {
        (
            "commands cannot be defined in a formula".to_string(),
            "write out what the command would stand for".to_string(),
        )
    } else {
        let label = suggest
            .then(|| suggestion(name))
            .flatten()
            .map_or("unknown command".to_string(), |s| {
                format!("did you mean `\\{s}`?")
            });
        (
            label,
            "check the spelling (commands are case-sensitive); literal text goes in `\\text{…}`"
                .to_string(),
        )
    };
    Problem {
        message: format!("unknown command `\\{name}` in a formula"),
        span,
        label,
        help,
    }
}

/// The closest command one edit away from `name` that math-core knows.
fn suggestion(name: &str) -> Option<String> {
    if name.is_empty()
        || name.len() > MAX_SUGGESTED_NAME
        || !name.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').collect();
    let chars: Vec<char> = name.chars().collect();
    let mut candidates: Vec<String> = Vec::new();
    for i in 0..chars.len() {
        // Deletion, then a swap with the next letter.
        candidates.push(
            chars
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| c)
                .collect(),
        );
        if i + 1 < chars.len() {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            candidates.push(swapped.into_iter().collect());
        }
    }
    for i in 0..=chars.len() {
        for &letter in &letters {
            let mut inserted = chars.clone();
            inserted.insert(i, letter);
            candidates.push(inserted.into_iter().collect());
            if i < chars.len() && chars[i] != letter {
                let mut replaced = chars.clone();
                replaced[i] = letter;
                candidates.push(replaced.into_iter().collect());
            }
        }
    }
    candidates.sort();
    candidates.dedup();
    let known: Vec<&str> = candidates
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty() && knows_command(c))
        .collect();
    did_you_mean(name, known.iter().copied())
        .or_else(|| known.first().copied())
        .map(str::to_string)
}

/// `"... \"NAME\"."`'s NAME when `message` starts with `prefix`.
fn quoted<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.rsplit_once('"').map(|(name, _)| name)
}

/// math-core's message as the end of a sentence: lower-case start, no full stop.
fn sentence(message: &str) -> String {
    let message = message.trim_end_matches('.');
    let mut chars = message.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// `range` kept inside `tex` and on character boundaries.
fn clamp(tex: &str, range: Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(tex.len());
        while !tex.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(range.start);
    start..floor(range.end).max(start)
}

/// An inline formula that starts like a price (`$5 and US$`): worth a hint about `\$`.
fn looks_like_money(tex: &str) -> bool {
    tex.starts_with(|c: char| c.is_ascii_digit())
}
