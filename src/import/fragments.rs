//! Fragments that the source's own heading-id rule does not explain. Authors copy anchors
//! from wherever they saw them: GitHub's preview (`#debugging-initiatives-` for a heading
//! ending in an emoji), an older build with kramdown's ids, another case. When `#frag`
//! names no heading under the source's rule, the other known rules are tried in turn
//! (exact, then ignoring case, then ignoring everything but letters and digits), and the
//! fragment is mapped when exactly one heading of the target matches.

use std::collections::{BTreeSet, HashMap};

use super::ids::{IdRule, fragment_map};

/// Every rule the importer knows, tried after the source's own.
const RULES: [IdRule; 4] = [
    IdRule::HugoGithub,
    IdRule::KramdownGfm,
    IdRule::Zola,
    IdRule::Kramdown,
];

/// Old id → sheaf id of one page under each rule but the source's.
pub(crate) struct Alternates {
    maps: Vec<HashMap<String, String>>,
}

impl Alternates {
    /// The other rules' maps for `body` (`source` is the rule already tried).
    pub(crate) fn of(body: &str, source: IdRule) -> Alternates {
        Alternates {
            maps: RULES
                .iter()
                .filter(|r| **r != source)
                .map(|r| fragment_map(*r, body, body))
                .collect(),
        }
    }

    /// The sheaf id `fragment` most likely meant, when exactly one heading fits.
    /// `primary` is the source rule's map, included in the looser passes.
    pub(crate) fn find(&self, fragment: &str, primary: &HashMap<String, String>) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        let exact = |key: &str| key == decoded;
        let lower = decoded.to_lowercase();
        let no_case = |key: &str| key.to_lowercase() == lower;
        let bare = loose(&decoded);
        let loosely = |key: &str| !bare.is_empty() && loose(key) == bare;
        let passes: [&dyn Fn(&str) -> bool; 3] = [&exact, &no_case, &loosely];
        for (n, matches) in passes.iter().enumerate() {
            let mut found = BTreeSet::new();
            let maps = std::iter::once(primary)
                .filter(|_| n > 0)
                .chain(self.maps.iter());
            for map in maps {
                found.extend(
                    map.iter()
                        .filter(|(old, _)| matches(old))
                        .map(|(_, new)| new.clone()),
                );
            }
            if found.len() == 1 {
                return found.pop_first();
            }
            if found.len() > 1 {
                return None;
            }
        }
        None
    }
}

/// Letters and digits only, lowercased.
fn loose(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `body` has a raw-HTML `id="frag"` or `name="frag"` (an anchor every tool
/// keeps as written).
pub(crate) fn is_raw_anchor(body: &str, fragment: &str) -> bool {
    ["id=", "name="].iter().any(|attr| {
        ['"', '\'']
            .iter()
            .any(|q| body.contains(&format!("{attr}{q}{fragment}{q}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "# Debugging initiatives 🐛\n## What's in 1.28.0 stable\n## `MaybeUninit<T>` instead of `mem::uninitialized`\n## Intro\n## intro\n## foo.bar\n## foo bar\n";

    fn find(fragment: &str) -> Option<String> {
        let primary = fragment_map(IdRule::Zola, BODY, BODY);
        Alternates::of(BODY, IdRule::Zola).find(fragment, &primary)
    }

    #[test]
    fn other_rules_map_when_one_heading_fits() {
        // GitHub's id keeps the space before the emoji as a trailing `-`.
        assert_eq!(
            find("debugging-initiatives-").as_deref(),
            Some("debugging-initiatives-bug")
        );
        // kramdown/GitHub drop the dots.
        assert_eq!(
            find("whats-in-1280-stable").as_deref(),
            Some("whats-in-1-28-0-stable")
        );
        // Only letters and digits compared.
        assert_eq!(
            find("whats-in-1.28.0-stable").as_deref(),
            Some("whats-in-1-28-0-stable")
        );
        assert_eq!(
            find("maybeuninitt>-instead-of-mem::uninitialized").as_deref(),
            Some("maybeuninit-t-instead-of-mem-uninitialized")
        );
        assert_eq!(
            find("Debugging-Initiatives-").as_deref(),
            Some("debugging-initiatives-bug")
        );
        assert_eq!(find("INTRO").as_deref(), Some("intro"));
        // Two headings fit: left alone.
        assert_eq!(find("FOO_BAR"), None);
        assert_eq!(find("nothing-like-it"), None);
    }

    #[test]
    fn raw_anchors() {
        assert!(is_raw_anchor("<a name=\"x\"></a>", "x"));
        assert!(is_raw_anchor("<span id='x'>", "x"));
        assert!(!is_raw_anchor("<a name=\"xy\">", "x"));
    }
}
