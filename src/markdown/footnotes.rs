//! GitHub-style footnotes: numbered in order of first reference, gathered at the end of the
//! page, each with links back to where it was referenced.
//!
//! pulldown-cmark's own writer renders definitions where they are written and uses the raw
//! label as id, which can clash with heading ids. Here every id comes from the page's id
//! registry (`fn-…`, `fnref-…`), so anchors stay unique and checkable.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, TagEnd};

use super::escape_html;
use super::headings::{Ids, slugify};

struct Note<'a> {
    /// Label as first written, for messages.
    label: String,
    /// Id of the note itself, given at its first reference.
    id: Option<String>,
    /// 1-based, in order of first reference.
    number: Option<usize>,
    /// Ids of each reference, for the back links.
    ref_ids: Vec<String>,
    /// The definition's rendered events, once seen.
    body: Option<Vec<Event<'a>>>,
    /// Body range of the definition, for the "never referenced" warning.
    definition: Range<usize>,
}

#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// Labels match case-insensitively, as on GitHub.
    by_key: HashMap<String, usize>,
    notes: Vec<Note<'a>>,
    numbered: usize,
}

impl<'a> Footnotes<'a> {
    fn note(&mut self, label: &str) -> &mut Note<'a> {
        let key = label.to_lowercase();
        let index = *self.by_key.entry(key).or_insert_with(|| {
            self.notes.push(Note {
                label: label.to_string(),
                id: None,
                number: None,
                ref_ids: Vec::new(),
                body: None,
                definition: 0..0,
            });
            self.notes.len() - 1
        });
        &mut self.notes[index]
    }

    /// The HTML of a reference (`[^label]`).
    pub(super) fn reference(&mut self, label: &str, ids: &mut Ids) -> String {
        let next_number = self.numbered + 1;
        let note = self.note(label);
        let slug = slugify(label);
        let number = *note.number.get_or_insert(next_number);
        let id = note
            .id
            .get_or_insert_with(|| ids.derive(&format!("fn-{slug}")))
            .clone();
        let ref_id = ids.derive(&format!("fnref-{slug}"));
        note.ref_ids.push(ref_id.clone());
        if number == next_number {
            self.numbered = next_number;
        }
        let mut html = String::from(r##"<sup class="footnote-ref"><a href="#"##);
        escape_html(&mut html, &id);
        html.push_str(r#"" id=""#);
        escape_html(&mut html, &ref_id);
        html.push_str(&format!(
            r#"" aria-label="Footnote {number}">{number}</a></sup>"#
        ));
        html
    }

    /// Stores a definition's rendered events; a repeated definition is ignored.
    pub(super) fn define(&mut self, label: &str, body: Vec<Event<'a>>, range: Range<usize>) {
        let note = self.note(label);
        if note.body.is_none() {
            note.body = Some(body);
            note.definition = range;
        }
    }

    /// Appends the footnote section to `out`. Returns the labels and body ranges of
    /// definitions nobody referenced (they are left out of the page).
    pub(super) fn finish(self, out: &mut Vec<Event<'a>>) -> Vec<(String, Range<usize>)> {
        let mut unused = Vec::new();
        let mut listed = Vec::new();
        for note in self.notes {
            match (note.number, note.body) {
                (Some(number), Some(body)) => listed.push((number, note.id, note.ref_ids, body)),
                (None, Some(_)) => unused.push((note.label, note.definition)),
                _ => {}
            }
        }
        if listed.is_empty() {
            return unused;
        }
        listed.sort_by_key(|note| note.0);
        out.push(html(
            "<section class=\"footnotes\" aria-labelledby=\"footnotes-heading\">\n<h2 id=\"footnotes-heading\" class=\"visually-hidden\">Footnotes</h2>\n<ol>\n".into(),
        ));
        for (number, id, ref_ids, mut body) in listed {
            let mut open = String::from("<li id=\"");
            escape_html(&mut open, id.as_deref().unwrap_or_default());
            open.push_str("\">\n");
            out.push(html(open));
            let backrefs = back_links(number, &ref_ids);
            // Inside the last paragraph when there is one, as readers expect.
            if matches!(body.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = body.pop();
                body.push(Event::InlineHtml(backrefs.into()));
                body.extend(end);
            } else {
                body.push(html(backrefs));
            }
            out.extend(body);
            out.push(html("</li>\n".into()));
        }
        out.push(html("</ol>\n</section>\n".into()));
        unused
    }
}

fn html<'a>(text: String) -> Event<'a> {
    Event::Html(CowStr::from(text))
}

/// `↩` links back to each reference; the second and later ones are told apart by a number.
fn back_links(number: usize, ref_ids: &[String]) -> String {
    let mut html = String::new();
    for (i, ref_id) in ref_ids.iter().enumerate() {
        html.push_str(r##" <a href="#"##);
        escape_html(&mut html, ref_id);
        if i == 0 {
            html.push_str(&format!(
                r#"" class="footnote-backref" aria-label="Back to reference {number}">↩</a>"#
            ));
        } else {
            let k = i + 1;
            html.push_str(&format!(
                r#"" class="footnote-backref" aria-label="Back to reference {number}-{k}">↩<sup>{k}</sup></a>"#
            ));
        }
    }
    html
}
