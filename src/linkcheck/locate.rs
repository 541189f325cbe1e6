//! Where the author wrote a link: from a URL found in a built page back to a line and
//! column of a Markdown file, `config.yaml` or a template.
//!
//! The HTML does not remember where its links came from, so the URL's text is searched
//! for in the page's own source. Markdown keeps a link destination as written, except that
//! pulldown-cmark percent-encodes what may not stand in a URL (spaces, non-ASCII), so the
//! decoded form is tried too, and `&amp;` for links written as raw HTML.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use percent_encoding::percent_decode_str;

use crate::build::Built;
use crate::config::CONFIG_FILE;
use crate::diagnostic::Location;
use crate::load::Source;
use crate::output::Contents;
use crate::render::html_path;

/// A text an author wrote, with the path shown to them. Pages and sections share the
/// loaded source rather than copying it.
#[derive(Debug, Clone)]
pub(super) struct Text(Arc<Source>);

impl Text {
    fn new(shown: PathBuf, text: String) -> Self {
        Text(Arc::new(Source::new(String::new(), shown, text)))
    }

    /// Every place `url` is written in this text.
    pub(super) fn find(&self, url: &str) -> Vec<Location> {
        let (shown, text) = (&self.0.shown, &*self.0.text());
        spellings(url)
            .iter()
            .flat_map(|s| occurrences(text, s).map(move |at| (at, s.len())))
            .map(|(at, len)| Location::at_offset(shown, text, at, len))
            .collect()
    }
}

/// The texts that built pages come from: each page's and section's Markdown, HTML files
/// copied as they are, and the site-wide files a theme link may come from.
pub(super) struct Sources {
    /// By output path (`essays/a/index.html`).
    by_output: HashMap<String, Text>,
    /// `config.yaml`, then every template the theme uses (site overrides included).
    site_wide: Vec<Text>,
}

impl Sources {
    /// Collects the sources of `built`, a site whose folder is `root`. Files that cannot be
    /// read (a theme folder deleted meanwhile) are left out: they only cost precision.
    pub(super) fn new(built: &Built, root: &Path) -> Self {
        let site = &built.site;
        let mut by_output = HashMap::new();
        for page in &site.pages {
            by_output.insert(html_path(&page.path), Text(Arc::clone(&page.doc.source)));
        }
        for section in &site.sections {
            if let Some(doc) = &section.doc {
                by_output.insert(html_path(&section.path), Text(Arc::clone(&doc.source)));
            }
        }
        for file in &built.files {
            if let Contents::Copy(from) = &file.contents
                && is_html(&file.path)
                && let Ok(text) = std::fs::read_to_string(from)
            {
                let shown = from.strip_prefix(root).unwrap_or(from).to_path_buf();
                by_output.insert(file.path.clone(), Text::new(shown, text));
            }
        }
        let mut site_wide = Vec::new();
        if let Ok(text) = std::fs::read_to_string(root.join(CONFIG_FILE)) {
            site_wide.push(Text::new(PathBuf::from(CONFIG_FILE), text));
        }
        let config_location = Location::file_only(CONFIG_FILE);
        if let Ok(theme) = crate::theme::load(root, &site.config.theme, config_location) {
            for template in theme.templates {
                if let Ok(text) = String::from_utf8(template.bytes) {
                    site_wide.push(Text::new(template.shown, text));
                }
            }
        }
        Sources {
            by_output,
            site_wide,
        }
    }

    /// The text an output file was made from: its page's or section's Markdown, or for a
    /// page below one (a worksheet's result pages), the nearest such page above it.
    pub(super) fn of_output(&self, output: &str) -> Option<&Text> {
        if let Some(text) = self.by_output.get(output) {
            return Some(text);
        }
        let mut dir = output.strip_suffix("index.html")?.trim_end_matches('/');
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if let Some(text) = self.by_output.get(&format!("{parent}/index.html")) {
                return Some(text);
            }
            dir = parent;
        }
        None
    }

    /// Where `url` is written in `config.yaml` or a template.
    pub(super) fn find_site_wide(&self, url: &str) -> Vec<Location> {
        self.site_wide.iter().flat_map(|t| t.find(url)).collect()
    }
}

/// Where one spelling of a link is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    /// Written here by the author.
    Written(Location),
    /// Written nowhere sheaf can see (the embedded theme, a static file): the first built
    /// page it is on, and how many others it is on too.
    Built { output: String, others: usize },
}

impl Sources {
    /// Every place `written` comes from, given the output files it appears in (sorted).
    /// An output file whose own source does not hold it (a theme link, a summary shown on
    /// a list page) sends the search to `config.yaml` and the templates; when that finds
    /// nothing either and no source holds it, the first output file stands in.
    pub(super) fn places(&self, written: &str, outputs: &[&str]) -> Vec<Place> {
        let mut found: Vec<Location> = Vec::new();
        let mut unplaced = false;
        for output in outputs {
            let hits = self.of_output(output).map(|t| t.find(written));
            match hits {
                Some(hits) if !hits.is_empty() => found.extend(hits),
                _ => unplaced = true,
            }
        }
        if unplaced {
            found.extend(self.find_site_wide(written));
        }
        let mut seen = std::collections::HashSet::new();
        found.retain(|l| seen.insert((l.file.clone(), l.line, l.column)));
        match (found.is_empty(), outputs.first()) {
            (true, Some(first)) => vec![Place::Built {
                output: first.to_string(),
                others: outputs.len() - 1,
            }],
            _ => found.into_iter().map(Place::Written).collect(),
        }
    }
}

/// Whether an output path is an HTML page (feeds, the sitemap and scripts are not read).
pub(super) fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// The ways `url` may be written in a source, most literal first, each once.
fn spellings(url: &str) -> Vec<Cow<'_, str>> {
    let mut all: Vec<Cow<'_, str>> = vec![Cow::Borrowed(url)];
    if let Ok(decoded) = percent_decode_str(url).decode_utf8()
        && decoded != url
    {
        all.push(Cow::Owned(decoded.into_owned()));
    }
    if url.contains('&') {
        all.push(Cow::Owned(url.replace('&', "&amp;")));
    }
    if let Some(rest) = url.strip_prefix("https:")
        && rest.starts_with("//")
    {
        // A protocol-relative link was written without its scheme.
        all.push(Cow::Borrowed(rest));
    }
    all
}

/// Byte offsets where `needle` occurs in `haystack` as a whole URL, not as the start of a
/// longer one (`https://a.example/x` is not in `https://a.example/xy`).
fn occurrences<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    haystack
        .match_indices(needle)
        .map(|(at, _)| at)
        .filter(move |&at| {
            let rest = &haystack[at + needle.len()..];
            let proto_relative_inside = needle.starts_with("//")
                && haystack[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == ':');
            !continues_url(rest) && !proto_relative_inside
        })
}

/// Whether `rest`, the text after a match, carries on the URL. Sentence punctuation
/// (`.`, `,`, `;`, `:`, `!`) followed by a space or the end is not part of it.
fn continues_url(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        None => false,
        Some(c) if c.is_alphanumeric() => true,
        Some('-' | '_' | '~' | '/' | '?' | '#' | '%' | '&' | '=' | '+' | '@' | '$' | '*') => true,
        Some('.' | ',' | ';' | ':' | '!') => chars.next().is_some_and(|c| c.is_alphanumeric()),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text::new(PathBuf::from("content/a.md"), s.to_string())
    }

    fn positions(t: &Text, url: &str) -> Vec<(usize, usize, usize)> {
        t.find(url)
            .iter()
            .map(|l| (l.line, l.column, l.width))
            .collect()
    }

    #[test]
    fn finds_every_place_a_url_is_written() {
        let t =
            text("---\ntitle: A\n---\nSee [x](https://a.example/x) and\n<https://a.example/x>.\n");
        assert_eq!(
            positions(&t, "https://a.example/x"),
            [(4, 9, 19), (5, 2, 19)]
        );
    }

    #[test]
    fn a_longer_url_is_not_a_match() {
        let t = text("[x](https://a.example/xy) [y](https://a.example/x/z) https://a.example/x.\n");
        assert_eq!(positions(&t, "https://a.example/x"), [(1, 54, 19)]);
    }

    #[test]
    fn percent_encoded_and_escaped_forms_are_found() {
        let t =
            text("[x](https://de.example/Straße)\n<a href=\"https://a.example/?a=1&amp;b=2\">\n");
        assert_eq!(
            positions(&t, "https://de.example/Stra%C3%9Fe"),
            [(1, 5, 25)]
        );
        assert_eq!(positions(&t, "https://a.example/?a=1&b=2"), [(2, 10, 30)]);
    }

    #[test]
    fn a_link_written_nowhere_is_reported_on_its_first_page() {
        let mut by_output = HashMap::new();
        by_output.insert(
            "a/index.html".to_string(),
            text("[x](https://a.example/)\n"),
        );
        let sources = Sources {
            by_output,
            site_wide: vec![text("footer: nothing here")],
        };
        assert_eq!(
            sources.places("https://theme.example/", &["a/index.html", "b/index.html"]),
            [Place::Built {
                output: "a/index.html".into(),
                others: 1
            }]
        );
        let written = sources.places("https://a.example/", &["a/index.html", "index.html"]);
        assert!(
            matches!(&written[..], [Place::Written(l)] if (l.line, l.column) == (1, 5)),
            "a list page showing the link does not add a place: {written:?}"
        );
    }

    #[test]
    fn result_pages_map_to_their_worksheet() {
        let mut by_output = HashMap::new();
        by_output.insert("quiz/w/index.html".to_string(), text("w"));
        let sources = Sources {
            by_output,
            site_wide: Vec::new(),
        };
        assert!(sources.of_output("quiz/w/result/abc/index.html").is_some());
        assert!(sources.of_output("quiz/index.html").is_none());
        assert!(sources.of_output("quiz/w/x.css").is_none());
    }
}
