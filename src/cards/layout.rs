//! Line breaking for card text: pure functions over a `measure(text) -> width` callback,
//! so they are tested without fonts and used with the real ones.
//!
//! Breaks go at spaces. A word wider than the line (a URL, or CJK text, which has no
//! spaces) is broken between characters. Text that needs more lines than allowed keeps
//! its first lines and ends the last one with an ellipsis, at a word boundary when that
//! does not waste much of the line.

/// Characters of input considered at all: a 3-line title at the smallest size holds well
/// under a hundred, and a bound keeps a runaway title from costing quadratic time.
const MAX_CHARS: usize = 400;

const ELLIPSIS: char = '…';

/// Collapses runs of whitespace (newlines, tabs, ...) to one space, trims the ends, and
/// drops control characters, which XML cannot carry and fonts cannot draw.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            word.chars()
                .filter(|c| !c.is_control() && !is_noncharacter(*c)),
        );
    }
    match out.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => out[..cut].trim_end().to_string(),
        None => out,
    }
}

/// U+FFFE and U+FFFF (and friends) are not allowed in XML documents.
fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xFDD0..=0xFDEF).contains(&c) || (c & 0xFFFE) == 0xFFFE
}

/// Wraps cleaned `text` into lines no wider than `width`; `None` if it needs more than
/// `max_lines` (the wrapping stops there).
pub(super) fn wrap(
    text: &str,
    width: f32,
    max_lines: usize,
    measure: &dyn Fn(&str) -> f32,
) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure(&candidate) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while measure(rest) > width {
            let cut = longest_fitting_prefix(rest, width, measure);
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        line = rest.to_string();
        if lines.len() > max_lines {
            return None;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    (lines.len() <= max_lines).then_some(lines)
}

/// Wraps `text` into at most `max_lines` lines, cutting the last one short with an
/// ellipsis if the text does not fit. Empty text gives no lines.
pub(super) fn wrap_or_truncate(
    text: &str,
    width: f32,
    max_lines: usize,
    measure: &dyn Fn(&str) -> f32,
) -> Vec<String> {
    if let Some(lines) = wrap(text, width, max_lines, measure) {
        return lines;
    }
    // Lay out one more line than allowed to know where the kept lines end.
    let mut lines = wrap(text, width, usize::MAX, measure).unwrap_or_default();
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        *last = with_ellipsis(last, width, measure);
    }
    lines
}

/// `line` (which fits) shortened until `line…` fits too.
fn with_ellipsis(line: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> String {
    let fits = |s: &str| measure(&format!("{s}{ELLIPSIS}")) <= width;
    if fits(line) {
        return format!("{}{ELLIPSIS}", trim_for_ellipsis(line));
    }
    let cut = longest_prefix_where(line, &fits);
    let by_chars = trim_for_ellipsis(&line[..cut]);
    // Prefer ending on a whole word unless that gives up more than half of the line.
    let by_words = by_chars
        .rfind(' ')
        .map(|i| trim_for_ellipsis(&by_chars[..i]));
    let kept = match by_words {
        Some(words) if measure(words) >= 0.5 * measure(by_chars) => words,
        _ => by_chars,
    };
    format!("{kept}{ELLIPSIS}")
}

/// Drops spaces and punctuation that would sit badly before an ellipsis ("word,…").
fn trim_for_ellipsis(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_whitespace() || ",;:.-–—".contains(c))
}

/// Byte length of the longest non-empty prefix of `s` that fits in `width` (at least one
/// character, so every call makes progress).
fn longest_fitting_prefix(s: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> usize {
    let cut = longest_prefix_where(s, &|p| measure(p) <= width);
    if cut == 0 {
        s.chars().next().map_or(0, char::len_utf8)
    } else {
        cut
    }
}

/// Byte length of the longest prefix (at a char boundary) for which `ok` holds, assuming
/// `ok` holds for all shorter prefixes once it holds for one (widths only grow).
fn longest_prefix_where(s: &str, ok: &dyn Fn(&str) -> bool) -> usize {
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([s.len()])
        .collect();
    // Binary search over character counts: bounds[n - 1] is the end of the first n chars.
    let (mut lo, mut hi) = (0usize, bounds.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if ok(&s[..bounds[mid - 1]]) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 { 0 } else { bounds[lo - 1] }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 1 wide: widths are character counts.
    fn chars(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn cleans_whitespace_and_controls() {
        assert_eq!(clean("  a\n\tb \u{0}c\u{FFFF}  "), "a b c");
        assert_eq!(clean(""), "");
        assert_eq!(clean(&"x".repeat(1000)).len(), MAX_CHARS);
    }

    #[test]
    fn wraps_at_spaces() {
        let lines = wrap("the quick brown fox jumps", 10.0, 5, &chars).unwrap();
        assert_eq!(lines, ["the quick", "brown fox", "jumps"]);
        assert_eq!(wrap("", 10.0, 3, &chars).unwrap(), Vec::<String>::new());
        assert!(wrap("the quick brown fox jumps", 10.0, 2, &chars).is_none());
    }

    #[test]
    fn breaks_words_longer_than_the_line() {
        let lines = wrap("a abcdefghijklmnop b", 6.0, 5, &chars).unwrap();
        assert_eq!(lines, ["a", "abcdef", "ghijkl", "mnop b"]);
        // Wider than the line even for one character: one per line, no endless loop.
        assert_eq!(wrap("日本", 0.5, 5, &chars).unwrap(), ["日", "本"]);
    }

    #[test]
    fn truncates_with_an_ellipsis_at_a_word() {
        let lines = wrap_or_truncate("one two three four five six seven", 10.0, 2, &chars);
        assert_eq!(lines, ["one two", "three…"]);
        let lines = wrap_or_truncate("aaaaaaaaaaaaaaaaaaaaaaaaa", 10.0, 1, &chars);
        assert_eq!(lines, ["aaaaaaaaa…"]);
        let lines = wrap_or_truncate("fits, but more follows", 6.0, 1, &chars);
        assert_eq!(lines, ["fits…"]);
    }
}
