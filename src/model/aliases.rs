//! `aliases:`: old URLs that redirect to a page.

use std::collections::HashMap;

use super::{Page, Section};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::{self, PageDoc};

/// Validates `aliases:` and returns (site path, page) pairs. An alias is a site path like
/// `/old/url/` or `/old.html`; it may not climb out of the site or shadow a real page.
pub(super) fn collect_aliases(
    pages: &[Page],
    sections: &[Section],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, usize)> {
    let mut aliases = Vec::new();
    if pages.iter().all(|p| p.doc.front.aliases.is_empty()) {
        return aliases;
    }
    let mut taken: HashMap<String, String> = sections
        .iter()
        .map(|s| (s.path.clone(), s.title.clone()))
        .collect();
    taken.extend(
        pages
            .iter()
            .map(|p| (p.path.clone(), p.doc.front.title.0.clone())),
    );
    for (i, page) in pages.iter().enumerate() {
        for alias in &page.doc.front.aliases {
            let location = || locate_alias(&page.doc, alias);
            let Some(path) = normalize_alias(alias) else {
                diagnostics.push(
                    Diagnostic::error(format!("invalid alias `{alias}`"))
                        .at(location())
                        .help("write an old site path such as `/old/url/` or `/old-page.html`: letters, digits, `-`, `_`, `.`, no `..`"),
                );
                continue;
            };
            if let Some(owner) = taken.insert(path.clone(), page.doc.front.title.0.clone()) {
                diagnostics.push(
                    Diagnostic::error(format!("alias `{alias}` is already the URL of `{owner}`"))
                        .at(location())
                        .help("remove the alias or pick another path"),
                );
                continue;
            }
            aliases.push((path, i));
        }
    }
    aliases
}

/// Where `alias` (as written, or as normalised: `/old/url/`) is in a page's front matter:
/// the item itself when it can be found after the `aliases:` key, else the key.
pub(crate) fn locate_alias(doc: &PageDoc, alias: &str) -> Location {
    let key = load::locate_key(&doc.source, &doc.yaml, "aliases");
    let text = &doc.source.text;
    let Some(key_at) = text[doc.yaml.clone()]
        .match_indices("aliases")
        .map(|(i, _)| doc.yaml.start + i)
        .find(|&i| {
            text[..i]
                .rsplit('\n')
                .next()
                .is_some_and(|s| s.trim().is_empty())
        })
    else {
        return key;
    };
    let region = &text[key_at..doc.yaml.end];
    let core = alias.trim().trim_matches('/');
    if core.is_empty() {
        return key;
    }
    // The occurrence that is a whole item: only slashes between it and the delimiters
    // around it (`/essays/` must not be found inside `/essays/one/`).
    let delimiter = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"' | '\'' | '-'))
    };
    let whole = region.match_indices(core).find(|&(i, _)| {
        let before = region[..i].trim_end_matches('/');
        let after = region[i + core.len()..].trim_start_matches('/');
        delimiter(before.chars().next_back()) && delimiter(after.chars().next())
    });
    match whole.or_else(|| region.match_indices(core).next()) {
        Some((at, _)) => {
            let at = key_at + at;
            // Take the slashes around it too, as written.
            let start = text[..at].trim_end_matches('/').len();
            let end = at + core.len();
            let end = end + text[end..].len() - text[end..].trim_start_matches('/').len();
            Location::at_offset(&doc.source.shown, text, start, end - start)
        }
        None => key,
    }
}

fn normalize_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    let ok_segment = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    };
    if !trimmed.split('/').all(ok_segment) {
        return None;
    }
    Some(if trimmed.ends_with(".html") {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_confined() {
        assert_eq!(normalize_alias("/old/url"), Some("/old/url/".into()));
        assert_eq!(normalize_alias("old.html"), Some("/old.html".into()));
        assert_eq!(normalize_alias("/../etc/"), None);
        assert_eq!(normalize_alias("/"), None);
        assert_eq!(normalize_alias("/a b/"), None);
    }
}
