//! Readable, safe URL segments from file names and tag names.

/// `My Essays` → `my-essays`, `Ünïcode` → `unicode`, `C++` → `c-plus-plus`, `C#` → `c-sharp`.
/// The result only ever holds `[a-z0-9-]`, so it can never climb out of its folder; an input
/// with nothing sluggable left yields an empty string (callers pick a fallback).
pub(crate) fn slugify(text: &str) -> String {
    let mut spelled = String::with_capacity(text.len());
    for c in text.chars() {
        match symbol_word(c) {
            Some(word) => {
                spelled.push(' ');
                spelled.push_str(word);
                spelled.push(' ');
            }
            None => spelled.push(c),
        }
    }
    let ascii = deunicode::deunicode(&spelled);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            pending_dash = true;
        }
    }
    slug.truncate(slug.len().min(120));
    slug.trim_end_matches('-').to_string()
}

/// The word a slug spells a symbol with (`C++` → `c-plus-plus`, `C#` → `c-sharp`): also
/// what `model::tags::tag_key` folds the symbol to, so spellings of one slug are one tag.
pub(crate) fn symbol_word(c: char) -> Option<&'static str> {
    match c {
        '+' => Some("plus"),
        '#' => Some("sharp"),
        '&' => Some("and"),
        '@' => Some("at"),
        _ => None,
    }
}

/// A short, stable hash of `text`, to tell apart names that slugify alike.
pub(crate) fn short_hash(text: &str) -> String {
    let hash = blake3::hash(text.as_bytes());
    hash.to_hex()[..6].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_and_distinct() {
        assert_eq!(slugify("Data Science"), "data-science");
        assert_eq!(slugify("C"), "c");
        assert_eq!(slugify("C++"), "c-plus-plus");
        assert_eq!(slugify("C#"), "c-sharp");
        assert_eq!(slugify("Ünïcode"), "unicode");
        assert_eq!(slugify("What's new?"), "whats-new");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(
            slugify("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
        assert_eq!(slugify("\u{200b}"), "");
    }

    #[test]
    fn only_safe_characters() {
        for s in ["a/b", "..", "x\\y", "日本語", "🎉 party", "  spaced  out  "] {
            assert!(
                slugify(s)
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
        }
    }
}
