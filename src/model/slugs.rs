//! Readable, collision-free URL slugs for named groups of pages (tags, series): each
//! distinct folded name gets its own slug, which depends only on that name, never on the
//! order in which pages were read.

use std::collections::{HashMap, HashSet};

use crate::slug::{short_hash, slugify};

/// The slug of each of `keys` (folded names, distinct), by key.
///
/// Slugs are readable (`c-plus-plus`); when two keys would share one, the key that *is* the
/// slug (spaces for hyphens) keeps it and the others get a short hash of their own key
/// appended. A key with nothing to slugify (`🎉`) gets `<fallback>-<hash>`.
pub(crate) fn unique_slugs<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    fallback: &str,
) -> HashMap<String, String> {
    let mut groups: HashMap<String, Vec<&str>> = HashMap::new();
    for key in keys {
        let base = match slugify(key) {
            s if s.is_empty() => format!("{fallback}-{}", short_hash(key)),
            s => s,
        };
        groups.entry(base).or_default().push(key);
    }
    let mut slugs = HashMap::new();
    // Readable slugs first: each group's base goes to one key. More than one folded name
    // can spell the base (`a b` and `a-b` both give `a-b`), so the first of them in byte
    // order wins (the spaced one), never two: two groups on one URL would overwrite each
    // other's page.
    let mut taken: HashSet<String> = HashSet::new();
    let mut hashed: Vec<(String, &str)> = Vec::new();
    for (base, mut keys) in groups {
        keys.sort();
        let winner = if keys.len() == 1 {
            Some(0)
        } else {
            keys.iter().position(|k| k.replace(' ', "-") == base)
        };
        for (i, key) in keys.into_iter().enumerate() {
            if Some(i) == winner {
                slugs.insert(key.to_string(), base.clone());
            } else {
                hashed.push((base.clone(), key));
            }
        }
        taken.insert(base);
    }
    // Then `<base>-<hash>`, the hash lengthened in the (crafted) case where it is already
    // another key's slug; in key order, so the result does not depend on page order.
    hashed.sort();
    for (base, key) in hashed {
        let hash = blake3::hash(key.as_bytes()).to_hex();
        let slug = [6, 12, 24, hash.len()]
            .iter()
            .map(|&n| format!("{base}-{}", &hash[..n]))
            .find(|s| !taken.contains(s))
            .unwrap_or_else(|| format!("{base}-{hash}"));
        taken.insert(slug.clone());
        slugs.insert(key.to_string(), slug);
    }
    slugs
}
