//! Heading ids: each source tool's rule and sheaf's, so a `#fragment` written for the old
//! site can be rewritten to the id sheaf gives the same heading. "What's next" is
//! `what-s-next` in Zola, `whats-next` in Hugo and in Jekyll's GFM kramdown, and
//! `whats-next` in sheaf; "C++ tips" is `c-tips`, `c-tips`, `c-tips` and `c-plus-plus-tips`.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A source tool's heading-id rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdRule {
    /// Zola's default (`slugify.anchors = "on"`): the `slug` crate, then `-1`, `-2`.
    Zola,
    /// Hugo's default goldmark `autoHeadingIDType = "github"`.
    HugoGithub,
    /// kramdown with Jekyll's default `input: GFM` (kramdown-parser-gfm's ids).
    KramdownGfm,
    /// kramdown's own parser (`kramdown: { input: kramdown }`).
    Kramdown,
}

/// One heading as a tool sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// Its plain text (text and code spans).
    pub text: String,
    /// Its Markdown source between the `#`s (kramdown's own parser slugs this).
    pub raw: String,
    /// An explicit `{#id}`.
    pub explicit: Option<String>,
}

/// The headings of a Markdown body. `smart` turns on smart punctuation (sheaf's dialect).
pub(crate) fn headings(body: &str, smart: bool) -> Vec<Heading> {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if smart {
        options |= Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_MATH;
    }
    let mut out = Vec::new();
    let mut open: Option<Heading> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                let raw = body[range.clone()]
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches([' ', '#'])
                    .trim_end_matches([' ', '#'])
                    .to_string();
                open = Some(Heading {
                    text: String::new(),
                    raw,
                    explicit: id.map(|id| id.to_string()),
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut open {
                    h.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = &mut open {
                    h.text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// The ids `rule` gives `headings`, in order.
pub(crate) fn source_ids(rule: IdRule, headings: &[Heading]) -> Vec<String> {
    // Zola reserves every explicit id of the page before deriving any; the others meet
    // them in document order.
    let mut used: HashSet<String> = match rule {
        IdRule::Zola => headings.iter().filter_map(|h| h.explicit.clone()).collect(),
        _ => HashSet::new(),
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    headings
        .iter()
        .map(|h| {
            if let Some(id) = &h.explicit {
                used.insert(id.clone());
                return id.clone();
            }
            let base = match rule {
                IdRule::Zola => zola_slug(&h.text),
                IdRule::HugoGithub => github(&h.text),
                IdRule::KramdownGfm => kramdown_gfm(&h.text),
                IdRule::Kramdown => kramdown(&h.raw),
            };
            // Every tool here numbers repeats `-1`, `-2`, ... after the first.
            let mut id = base.clone();
            while used.contains(&id) {
                let n = counts.entry(base.clone()).or_insert(0);
                *n += 1;
                id = format!("{base}-{n}");
            }
            used.insert(id.clone());
            id
        })
        .collect()
}

/// sheaf's ids (`markdown/headings.rs`): explicit ids reserved first, then
/// `crate::slug::slugify` of the text (`section` when empty), repeats `-1`, `-2` skipping
/// reserved ones; `main` and `footnotes-heading` belong to the theme.
pub(crate) fn sheaf_ids(headings: &[Heading]) -> Vec<String> {
    let reserved: HashSet<&str> = headings
        .iter()
        .filter_map(|h| h.explicit.as_deref())
        .collect();
    let mut used: HashSet<String> = ["main", "footnotes-heading"].map(String::from).into();
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for h in headings {
        if let Some(id) = &h.explicit
            && !used.contains(id)
        {
            used.insert(id.clone());
            out.push(id.clone());
            continue;
        }
        let base = match &h.explicit {
            Some(id) => id.clone(),
            None => match crate::slug::slugify(&h.text) {
                s if s.is_empty() => "section".to_string(),
                s => s,
            },
        };
        let id = if !used.contains(&base) && !reserved.contains(base.as_str()) {
            base
        } else {
            let n = next.entry(base.clone()).or_insert(1);
            loop {
                let candidate = format!("{base}-{n}");
                *n += 1;
                if !used.contains(&candidate) && !reserved.contains(candidate.as_str()) {
                    break candidate;
                }
            }
        };
        used.insert(id.clone());
        out.push(id);
    }
    out
}

/// Old id → new id for one page, from its source body and its new body. Headings are
/// paired in order when both have as many (the usual case: only links changed), else by
/// equal text.
pub(crate) fn fragment_map(
    rule: IdRule,
    old_body: &str,
    new_body: &str,
) -> HashMap<String, String> {
    let old_headings = headings(old_body, false);
    let new_headings = headings(new_body, true);
    let old_ids = source_ids(rule, &old_headings);
    let new_ids = sheaf_ids(&new_headings);
    let mut map = HashMap::new();
    if old_ids.len() == new_ids.len() {
        map.extend(old_ids.into_iter().zip(new_ids));
    } else {
        for (h, old) in old_headings.iter().zip(old_ids) {
            if let Some(i) = new_headings.iter().position(|n| n.text == h.text) {
                map.insert(old, new_ids[i].clone());
            }
        }
    }
    map
}

/// The `slug` crate (Zola): ASCII by deunicode, lowercase, every run of other characters
/// one `-`, no `-` at either end.
pub(crate) fn zola_slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// goldmark's `github` ids (Hugo): trimmed, lowercased; letters, digits and `_` kept, a
/// space or `-` is `-` (runs kept), everything else dropped.
pub(crate) fn github(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c == ' ' || c == '-' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
        }
    }
    if out.is_empty() {
        "heading".to_string()
    } else {
        out
    }
}

/// kramdown-parser-gfm (Jekyll's default): lowercased plain text, all but word characters,
/// `-` and spaces dropped, each space or tab a `-` (no collapsing).
pub(crate) fn kramdown_gfm(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' | '\t' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// kramdown's own rule, on the heading's Markdown source: leading non-letters dropped, all but ASCII letters, digits, spaces
/// and `-` dropped, spaces to `-`, lowercased; `section` when nothing is left.
pub(crate) fn kramdown(text: &str) -> String {
    let start = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let id: String = text[start..]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(rule: IdRule, body: &str) -> Vec<String> {
        source_ids(rule, &headings(body, false))
    }

    const TRICKY: &str = "# What's next\n## C++ tips\n## What's next\n## `code` and *em*\n## Ünïcode Café\n## 2020 review\n## Custom {#mine}\n";

    #[test]
    fn zola_ids() {
        assert_eq!(
            ids(IdRule::Zola, TRICKY),
            [
                "what-s-next",
                "c-tips",
                "what-s-next-1",
                "code-and-em",
                "unicode-cafe",
                "2020-review",
                "mine"
            ]
        );
    }

    #[test]
    fn hugo_github_ids() {
        assert_eq!(
            ids(IdRule::HugoGithub, TRICKY),
            [
                "whats-next",
                "c-tips",
                "whats-next-1",
                "code-and-em",
                "ünïcode-café",
                "2020-review",
                "mine"
            ]
        );
        assert_eq!(github("a -- b"), "a----b");
        assert_eq!(github("Hello   World"), "hello---world");
        assert_eq!(github("foo_bar"), "foo_bar");
        assert_eq!(github("日本"), "日本");
        assert_eq!(github("1. Intro"), "1-intro");
    }

    #[test]
    fn zola_reserves_explicit_ids_first() {
        assert_eq!(
            ids(IdRule::Zola, "# Intro\n# Intro\n# X {#intro-1}\n"),
            ["intro", "intro-2", "intro-1"]
        );
        assert_eq!(zola_slug("日本"), "ri-ben");
        assert_eq!(zola_slug("foo_bar"), "foo-bar");
    }

    #[test]
    fn kramdown_ids() {
        assert_eq!(kramdown("1. Intro"), "intro");
        assert_eq!(kramdown("foo_bar"), "foobar");
        assert_eq!(kramdown_gfm("foo_bar"), "foo_bar");
        assert_eq!(kramdown_gfm("Hello   World"), "hello---world");
        assert_eq!(
            ids(IdRule::Kramdown, TRICKY),
            [
                "whats-next",
                "c-tips",
                "whats-next-1",
                "code-and-em",
                "ncode-caf",
                "review",
                "mine"
            ]
        );
        assert_eq!(
            ids(IdRule::KramdownGfm, TRICKY)[..6],
            [
                "whats-next",
                "c-tips",
                "whats-next-1",
                "code-and-em",
                "ünïcode-café",
                "2020-review"
            ]
        );
    }

    #[test]
    fn sheaf_ids_follow_markdown_headings() {
        assert_eq!(
            sheaf_ids(&headings(TRICKY, true)),
            [
                "whats-next",
                "c-plus-plus-tips",
                "whats-next-1",
                "code-and-em",
                "unicode-cafe",
                "2020-review",
                "mine"
            ]
        );
        // An explicit id later on the page is reserved before derived ones.
        let hs = headings("# Intro\n# Intro\n# X {#intro-1}\n", true);
        assert_eq!(sheaf_ids(&hs), ["intro", "intro-2", "intro-1"]);
        assert_eq!(
            sheaf_ids(&headings("# !!!\n# Main\n", true)),
            ["section", "main-1"]
        );
    }

    #[test]
    fn fragments_map_old_ids_to_new() {
        let body = "# What's next\n## C++ tips\n";
        let map = fragment_map(IdRule::Zola, body, body);
        assert_eq!(map["what-s-next"], "whats-next");
        assert_eq!(map["c-tips"], "c-plus-plus-tips");
    }
}
