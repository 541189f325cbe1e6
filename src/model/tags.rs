//! Merging tag spellings and giving every distinct tag its own stable URL slug.

use std::collections::HashMap;

/// A tag on the site and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Case- and space-folded name: `Data Science` and `data  science` share it.
    pub key: String,
    /// The spelling shown to readers: the one on the newest page that uses the tag.
    pub name: String,
    pub slug: String,
    /// Indices into the site's pages, in the order the caller gave (newest first).
    pub pages: Vec<usize>,
}

/// The folding that decides which spellings are one tag.
pub(crate) fn tag_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Groups `(page, tag name)` pairs into tags with unique slugs, sorted by name.
///
/// Slugs come from `slugs::unique_slugs`: readable, and a tag's URL depends only on its
/// own name, never on the order in which pages were read.
pub(crate) fn collect_tags<'a>(tagged: impl IntoIterator<Item = (usize, &'a str)>) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Spellings repeat on thousands of pages: fold each one once.
    let mut by_name: HashMap<&'a str, usize> = HashMap::new();
    for (page, name) in tagged {
        let t = match by_name.get(name) {
            Some(&t) => t,
            None => {
                let key = tag_key(name);
                let t = *by_key.entry(key.clone()).or_insert_with(|| {
                    tags.push(Tag {
                        key,
                        name: name.to_string(),
                        slug: String::new(),
                        pages: Vec::new(),
                    });
                    tags.len() - 1
                });
                by_name.insert(name, t);
                t
            }
        };
        let tag = &mut tags[t];
        // A page's tags arrive together, so a repeat (`[a, A]`) is always the last entry;
        // checking only that keeps this linear for tags with thousands of pages.
        if tag.pages.last() != Some(&page) {
            tag.pages.push(page);
        }
    }
    let slugs = super::slugs::unique_slugs(tags.iter().map(|t| t.key.as_str()), "tag");
    for tag in &mut tags {
        tag.slug = slugs.get(&tag.key).cloned().unwrap_or_default();
    }
    tags.sort_by(|a, b| a.key.cmp(&b.key).then(a.name.cmp(&b.name)));
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slug::short_hash;

    #[test]
    fn spellings_merge_and_lookalikes_do_not_collide() {
        let tags = collect_tags([
            (0, "Data Science"),
            (1, "data science"),
            (0, "C"),
            (1, "C++"),
            (2, "C#"),
            (2, "c plus plus"),
            (3, "Ünïcode"),
            (3, "unicode"),
        ]);
        let slugs: Vec<(&str, &str)> = tags
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str()))
            .collect();
        let data = tags.iter().find(|t| t.key == "data science").unwrap();
        assert_eq!(data.pages, vec![0, 1]);
        assert_eq!(data.name, "Data Science");
        let mut unique: Vec<&str> = tags.iter().map(|t| t.slug.as_str()).collect();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), tags.len(), "{slugs:?}");
        assert_eq!(
            tags.iter().find(|t| t.key == "c plus plus").unwrap().slug,
            "c-plus-plus"
        );
        assert!(
            tags.iter()
                .find(|t| t.key == "c++")
                .unwrap()
                .slug
                .starts_with("c-plus-plus-")
        );
        assert_eq!(
            tags.iter().find(|t| t.key == "unicode").unwrap().slug,
            "unicode"
        );
        assert_eq!(tags.iter().find(|t| t.key == "c#").unwrap().slug, "c-sharp");
    }

    /// Regression (found by src/properties.rs): `a-b` and `a b` are different tags that
    /// both spell the slug `a-b`, and both got it.
    #[test]
    fn two_spellings_of_one_slug_do_not_share_it() {
        let tags = collect_tags([(0, "a-b"), (1, "a b"), (2, "A B")]);
        assert_eq!(tags.len(), 2);
        let spaced = tags.iter().find(|t| t.key == "a b").unwrap();
        let dashed = tags.iter().find(|t| t.key == "a-b").unwrap();
        assert_eq!(spaced.slug, "a-b");
        assert_eq!(dashed.slug, format!("a-b-{}", short_hash("a-b")));
        // Either order of pages gives the same slugs.
        let again = collect_tags([(0, "a b"), (1, "a-b")]);
        assert_eq!(
            again.iter().find(|t| t.key == "a-b").unwrap().slug,
            dashed.slug
        );
    }

    /// A hashed slug that is already another tag's readable slug gets a longer hash.
    #[test]
    fn a_hashed_slug_never_takes_a_readable_one() {
        let clash = format!("c-plus-plus-{}", short_hash("c++"));
        let tags = collect_tags([(0, "c++"), (0, "c plus plus"), (1, clash.as_str())]);
        let mut slugs: Vec<&str> = tags.iter().map(|t| t.slug.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 3, "{slugs:?}");
        assert_eq!(tags.iter().find(|t| t.key == clash).unwrap().slug, clash);
    }

    #[test]
    fn symbol_only_tags_still_get_a_slug() {
        let tags = collect_tags([(0, "🎉"), (0, "★")]);
        assert!(tags.iter().all(|t| !t.slug.is_empty()));
        assert_ne!(tags[0].slug, tags[1].slug);
    }
}
