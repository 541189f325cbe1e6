//! Merging tag spellings and giving every distinct tag its own stable URL slug.

use std::collections::HashMap;

/// A tag on the site and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The folded name ([`tag_key`]): `Data Science`, `data-science` and `Data Sciénce`
    /// share it.
    pub key: String,
    /// The spelling shown to readers: the one on the newest page that uses the tag.
    pub name: String,
    pub slug: String,
    /// Indices into the site's pages, in the order the caller gave (newest first).
    pub pages: Vec<usize>,
}

/// The folding that decides which spellings are one tag (and one series): case, accents
/// on Latin letters, and what separates the words (spaces, hyphens, underscores,
/// punctuation) do not count, and `+ # & @` count as the words the slug spells them with.
/// So `Café` and `cafe`, `a b` and `a-b`, `Rust & Go` and `Rust and Go`, `C++` and
/// `c plus plus` are one tag, at one URL: spellings that make the same slug no longer
/// share it out by a rule that moved the first tag's URL when the second was added.
///
/// Other scripts are kept as written, not transliterated as the slug is: `是` and `事`
/// (both `shi` in a slug) stay two tags, told apart by a hash in the slug
/// (`slugs::unique_slugs`). That rare case is the one left where adding a tag can move
/// another's URL (`是` alone is at `/tags/shi/`).
pub(crate) fn tag_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    // Whether something separated the words since the last letter.
    let mut apart = false;
    for c in name.chars() {
        if let Some(word) = crate::slug::symbol_word(c) {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(word);
            apart = true;
        } else if c.is_alphanumeric() {
            if apart && !key.is_empty() {
                key.push(' ');
            }
            apart = false;
            match is_latin(c).then(|| deunicode::deunicode_char(c)).flatten() {
                Some(ascii) if ascii.chars().all(|a| a.is_ascii_alphanumeric()) => {
                    key.push_str(&ascii.to_ascii_lowercase());
                }
                _ => key.extend(c.to_lowercase()),
            }
        } else if c != '\'' && c != '’' {
            apart = true;
        }
    }
    if key.is_empty() {
        // Symbols alone (`🎉`, `★`): each is its own tag, with a hashed slug.
        return name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
    }
    key
}

/// Letters of the Latin script, whose accents fold away (`é` → `e`, `ß` → `ss`).
fn is_latin(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF)
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

    fn slug_of<'t>(tags: &'t [Tag], name: &str) -> &'t str {
        let key = tag_key(name);
        &tags.iter().find(|t| t.key == key).unwrap().slug
    }

    #[test]
    fn spellings_merge_and_lookalikes_do_not_collide() {
        let tags = collect_tags([
            (0, "Data Science"),
            (1, "data-science"),
            (2, "Data  Sciénce"),
            (0, "C"),
            (1, "C++"),
            (2, "C#"),
            (2, "c plus plus"),
            (3, "Ünïcode"),
            (3, "unicode"),
            (4, "Don't panic"),
        ]);
        let data = tags.iter().find(|t| t.key == "data science").unwrap();
        assert_eq!(data.pages, vec![0, 1, 2]);
        assert_eq!(data.name, "Data Science", "the first page's spelling");
        assert_eq!(data.slug, "data-science");
        assert_eq!(slug_of(&tags, "C"), "c");
        assert_eq!(slug_of(&tags, "C++"), "c-plus-plus");
        assert_eq!(slug_of(&tags, "c plus plus"), "c-plus-plus");
        assert_eq!(slug_of(&tags, "C#"), "c-sharp");
        assert_eq!(slug_of(&tags, "unicode"), "unicode");
        assert_eq!(slug_of(&tags, "Don't panic"), "dont-panic");
        // C, C++ (= c plus plus), C#, data science, unicode (= Ünïcode), don't panic.
        assert_eq!(tags.len(), 6, "{tags:?}");
    }

    /// Regression (found by a review): `Café` was at `/tags/cafe/` until a page tagged
    /// `Cafe` came, which took the URL and moved Café to `/tags/cafe-e4e52b/`; so did `a b`
    /// from `a-b` and `Rust and Go` from `Rust & Go`. Spellings of one slug are one tag
    /// now, and a tag's URL stays where it was whatever is added.
    #[test]
    fn adding_a_spelling_never_moves_a_tags_url() {
        for (first, second, slug) in [
            ("Café", "Cafe", "cafe"),
            ("a-b", "a b", "a-b"),
            ("Rust & Go", "Rust and Go", "rust-and-go"),
            ("C++", "c plus plus", "c-plus-plus"),
        ] {
            let alone = collect_tags([(0, first)]);
            let both = collect_tags([(0, first), (1, second)]);
            let reversed = collect_tags([(0, second), (1, first)]);
            assert_eq!(alone[0].slug, slug, "{first}");
            assert_eq!(both.len(), 1, "{first} and {second} are one tag");
            assert_eq!(
                (both[0].slug.as_str(), both[0].name.as_str()),
                (slug, first)
            );
            assert_eq!(both[0].pages, vec![0, 1]);
            assert_eq!(reversed[0].slug, slug);
        }
    }

    /// Other scripts are not transliterated into the key: two tags whose slugs read alike
    /// (`是` and `事` are both `shi`) stay two tags at two URLs, each told by its own hash.
    #[test]
    fn names_in_other_scripts_stay_apart() {
        let tags = collect_tags([(0, "是"), (1, "事"), (2, "日本語")]);
        assert_eq!(tags.len(), 3);
        let mut slugs: Vec<&str> = tags.iter().map(|t| t.slug.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 3, "{slugs:?}");
        assert_eq!(slug_of(&tags, "日本語"), "ri-ben-yu");
    }

    /// A hashed slug that is already another tag's readable slug gets a longer hash.
    #[test]
    fn a_hashed_slug_never_takes_a_readable_one() {
        let clash = format!("shi-{}", short_hash("事"));
        let tags = collect_tags([(0, "是"), (0, "事"), (1, clash.as_str())]);
        let mut slugs: Vec<&str> = tags.iter().map(|t| t.slug.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 3, "{slugs:?}");
        assert_eq!(slug_of(&tags, &clash), clash);
    }

    #[test]
    fn symbol_only_tags_still_get_a_slug() {
        let tags = collect_tags([(0, "🎉"), (0, "★")]);
        assert_eq!(tags.len(), 2);
        assert!(tags.iter().all(|t| !t.slug.is_empty()));
        assert_ne!(tags[0].slug, tags[1].slug);
    }
}
