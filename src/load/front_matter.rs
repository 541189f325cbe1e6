//! Splitting a Markdown file into YAML front matter and body.

/// Where the parts of a file are, as byte ranges into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the `---` lines (may be empty).
    pub yaml: std::ops::Range<usize>,
    /// Everything after the closing `---` line.
    pub body_offset: usize,
}

/// Why a file's front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing line.
    Unclosed,
}

/// Finds the front matter: the file must start with a line `---` and the YAML ends at the
/// next line that is `---` (or `...`, YAML's own end marker). CRLF line endings and
/// trailing spaces on the marker lines are accepted.
pub fn split(text: &str) -> Result<Parts, SplitError> {
    let mut lines = LineIter { text, pos: 0 };
    match lines.next() {
        Some((_, line)) if is_marker(line, "---") => {}
        _ => return Err(SplitError::Missing),
    }
    let yaml_start = lines.pos;
    while let Some((start, line)) = lines.next() {
        if is_marker(line, "---") || is_marker(line, "...") {
            return Ok(Parts {
                yaml: yaml_start..start,
                body_offset: lines.pos,
            });
        }
    }
    Err(SplitError::Unclosed)
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.trim_end() == marker
}

/// Lines with their start offsets; a line excludes its `\n` but may keep a `\r`.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some((start, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let text = "---\ntitle: A\n---\nBody\n";
        let parts = split(text).unwrap();
        assert_eq!(&text[parts.yaml.clone()], "title: A\n");
        assert_eq!(&text[parts.body_offset..], "Body\n");
        let text = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        let parts = split(text).unwrap();
        assert_eq!(&text[parts.yaml.clone()], "title: A\r\n");
        assert_eq!(&text[parts.body_offset..], "Body\r\n");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let parts = split("---\n---").unwrap();
        assert_eq!(parts.yaml, 4..4);
        assert_eq!(parts.body_offset, 7);
    }

    #[test]
    fn missing_and_unclosed() {
        assert_eq!(split("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("----\n---\n"), Err(SplitError::Missing));
    }

    #[test]
    fn a_rule_inside_the_body_is_not_a_marker() {
        let text = "---\na: 1\n---\ntext\n---\nmore\n";
        assert_eq!(
            &text[split(text).unwrap().body_offset..],
            "text\n---\nmore\n"
        );
    }
}
