//! Heading ids and their anchor links.
//!
//! Ids must be stable (readers bookmark them), readable, ASCII (so they survive copy-paste
//! into any tool) and unique per page. Explicit `{#id}`s are reserved before anything is
//! derived, so an author's id always wins over a derived one.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::diagnostic::Diagnostic;

use super::text::collapse_whitespace;
use super::transform::Pass;

/// The slug of a heading's plain text, by the same rule as page and tag URLs (one rule for
/// the whole site: `C++` is `c-plus-plus` everywhere). Never empty.
pub(super) fn slugify(text: &str) -> String {
    match crate::slug::slugify(text) {
        slug if slug.is_empty() => "section".to_string(),
        slug => slug,
    }
}

/// Every id handed out on one page.
#[derive(Default)]
pub(super) struct Ids {
    used: HashSet<String>,
    /// Explicit ids not yet reached; derived ids must not take them.
    reserved: HashSet<String>,
    /// Next suffix to try per base, so a page of 1,000 "Example" headings stays linear.
    next_suffix: HashMap<String, usize>,
    /// Ids in the order they were handed out.
    pub(super) all: Vec<String>,
}

/// What happened to an explicit id.
pub(super) enum Explicit {
    Unique(String),
    /// Already used earlier on the page; the heading gets this unique replacement instead.
    Duplicate(String),
}

impl Ids {
    /// Reserves an explicit id found ahead of time.
    pub(super) fn reserve(&mut self, id: &str) {
        self.reserved.insert(id.to_string());
    }

    /// Marks an id the theme's own markup uses, so no heading takes it. It is not listed
    /// among the page's ids: it is not the page author's to link to.
    pub(super) fn taken_by_theme(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique id derived from `base` (`intro`, `intro-1`, `intro-2`, ...).
    pub(super) fn derive(&mut self, base: &str) -> String {
        let id = if self.is_free(base) {
            base.to_string()
        } else {
            let next = self.next_suffix.entry(base.to_string()).or_insert(1);
            loop {
                let candidate = format!("{base}-{next}");
                *next += 1;
                if !self.used.contains(&candidate) && !self.reserved.contains(&candidate) {
                    break candidate;
                }
            }
        };
        self.take(id)
    }

    /// Claims an explicit id; a repeat gets a derived replacement so the page stays valid.
    pub(super) fn explicit(&mut self, id: &str) -> Explicit {
        if self.used.contains(id) {
            return Explicit::Duplicate(self.derive(id));
        }
        self.reserved.remove(id);
        Explicit::Unique(self.take(id.to_string()))
    }

    fn is_free(&self, id: &str) -> bool {
        !self.used.contains(id) && !self.reserved.contains(id)
    }

    fn take(&mut self, id: String) -> String {
        self.used.insert(id.clone());
        self.all.push(id.clone());
        id
    }

    /// Records an id that is on the page but not ours to choose (raw HTML `id="…"`).
    pub(super) fn record_foreign(&mut self, id: &str) {
        if self.used.insert(id.to_string()) {
            self.all.push(id.to_string());
        }
    }
}

/// The anchor link put after a heading's text, after a space so feed readers without CSS
/// show `Intro #`. Hidden from assistive technology and the tab order (the heading itself is
/// already navigable); the `#` keeps it from being an empty link. Left out of the search
/// index (`data-pagefind-ignore`), where it would show as a stray `#` in excerpts.
pub(super) fn anchor_html(id: &str) -> String {
    let mut html = String::from(r##" <a class="anchor" href="#"##);
    super::escape_html(&mut html, id);
    html.push_str(r#"" aria-hidden="true" tabindex="-1" data-pagefind-ignore>#</a>"#);
    html
}

/// A heading whose text is still being read.
pub(super) struct OpenHeading {
    /// Index of its start event in the current output buffer, patched once the id is known.
    index: usize,
    level: u8,
    explicit: Option<String>,
    pub(super) text: String,
    range: Range<usize>,
}

impl<'a> Pass<'_, 'a> {
    /// Emits a heading's start event; [`Pass::close_heading`] sets its id once the text is
    /// known.
    pub(super) fn open_heading(&mut self, start: Tag<'a>, range: Range<usize>) {
        if let Tag::Heading { level, id, .. } = &start {
            self.heading = Some(OpenHeading {
                index: self.out.len(),
                level: *level as u8,
                explicit: id.as_ref().map(|id| id.to_string()),
                text: String::new(),
                range,
            });
        }
        self.out.push(Event::Start(start));
    }

    /// Gives the heading its id (explicit or derived), patches its start event and adds the
    /// anchor link and the TOC entry (not for headings inside footnotes, which move).
    pub(super) fn close_heading(&mut self, in_footnote: bool) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let id = match &heading.explicit {
            Some(explicit) => match self.ids.explicit(explicit) {
                Explicit::Unique(id) => id,
                Explicit::Duplicate(replacement) => {
                    self.duplicate_id(explicit, &replacement, heading.range.clone());
                    replacement
                }
            },
            None => self.ids.derive(&slugify(&heading.text)),
        };
        if let Some(Event::Start(Tag::Heading { id: slot, .. })) = self.out.get_mut(heading.index) {
            *slot = Some(CowStr::from(id.clone()));
        }
        self.out.push(Event::InlineHtml(anchor_html(&id).into()));
        if !in_footnote {
            let title = collapse_whitespace(&heading.text);
            self.toc.push((heading.level, id, title));
        }
    }

    fn duplicate_id(&mut self, id: &str, replacement: &str, range: Range<usize>) {
        let text = self.body.get(range.clone()).unwrap_or("");
        let needle = format!("#{id}");
        let (offset, len) = match text.rfind(&needle) {
            Some(at) => (range.start + at, needle.len()),
            None => (range.start, text.len()),
        };
        self.diagnostics.push(
            Diagnostic::warning(format!("duplicate heading id `{id}`"))
                .at(self.locator.at(offset, len))
                .label(format!(
                    "already used earlier on this page; this heading gets `{replacement}`"
                ))
                .help("give each heading a different `{#id}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(slugify("Why chasing followers?"), "why-chasing-followers");
        assert_eq!(
            slugify("  Ünïcode & Café — 2025  "),
            "unicode-and-cafe-2025"
        );
        assert_eq!(slugify("C++"), "c-plus-plus");
        assert_eq!(slugify("Don’t “stop”"), "dont-stop");
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify(""), "section");
        assert_eq!(slugify("北京"), "bei-jing");
    }

    #[test]
    fn derived_ids_are_unique_and_avoid_reserved_ones() {
        let mut ids = Ids::default();
        ids.reserve("intro-1");
        assert_eq!(ids.derive("intro"), "intro");
        assert_eq!(ids.derive("intro"), "intro-2");
        assert!(matches!(ids.explicit("intro-1"), Explicit::Unique(id) if id == "intro-1"));
        assert!(matches!(ids.explicit("intro"), Explicit::Duplicate(id) if id == "intro-3"));
        assert_eq!(ids.all, ["intro", "intro-2", "intro-1", "intro-3"]);
    }

    #[test]
    fn many_equal_headings_stay_linear() {
        let mut ids = Ids::default();
        for _ in 0..5000 {
            ids.derive("example");
        }
        assert_eq!(ids.all.last().map(String::as_str), Some("example-4999"));
    }
}
