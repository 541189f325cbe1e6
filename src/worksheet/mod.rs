//! Worksheets (DESIGN section 6): pages whose front matter has `worksheet:` and whose
//! ```` ```worksheet ```` blocks hold questions, rendered at build time to a real `<form>`
//! with the definition for `worksheet.js` embedded.
//!
//! Use per page:
//! 1. [`parse_header`] on the front matter (pages with `worksheet:` only);
//! 2. render the Markdown with a [`PageWorksheet`] as the fence handler (or
//!    [`NotAWorksheet`] on pages without `worksheet:`, so a stray block is an error);
//! 3. [`PageWorksheet::finish`] with the rendered HTML: cross-question checks (band
//!    coverage), then the complete form and the [`Worksheet`] model.
//!
//! | file | job |
//! |---|---|
//! | `header/` | the `worksheet:` front-matter key: `mod.rs` validation, `raw.rs` the serde shapes |
//! | `question.rs` | the question model |
//! | `parse/` | one block's YAML into questions, every key and value checked (`scalars.rs`: plain values) |
//! | `reach.rs`, `bits.rs` | the totals a `by: bands` worksheet can reach, exactly |
//! | `bands.rs` | band ranges and coverage for `by: bands` |
//! | `probe.rs` | where a YAML node is (serde_yaml has no spans) |
//! | `source.rs` | block/front-matter offsets to file locations; `Issue` |
//! | `markup.rs` | escaping and the Markdown fragments in YAML |
//! | `page.rs` | the fence handlers: blocks of one page, page-wide id checks |
//! | `finish.rs` | checks over all of a page's questions, then the form and the model |
//! | `form.rs` | the HTML contract with `worksheet.js` |
//! | `definition.rs` | the JSON definition |
//! | `hash.rs` | the structure hash in share links |

mod bands;
mod bits;
mod definition;
mod finish;
mod form;
mod hash;
mod header;
mod markup;
mod page;
mod parse;
mod probe;
mod question;
mod reach;
mod source;
#[cfg(test)]
mod tests;

use crate::diagnostic::{Diagnostic, Location};

pub(crate) use header::{Header, Outcomes, ResultBy, parse_header};
pub(crate) use page::{NotAWorksheet, PageWorksheet};

/// A rendered worksheet, for the pipeline: result pages, the site-wide id check, counts.
#[derive(Debug, Clone)]
pub struct Worksheet {
    pub id: String,
    pub version: u32,
    /// 8 hex characters over question ids, types and option ids (see [`structure_text`]).
    pub hash: String,
    pub by: ResultBy,
    /// Dimensions (declaration order) or bands (listed order).
    pub results: Vec<WorksheetResult>,
    /// Number of questions.
    pub questions: usize,
    /// The first question as the worksheet shows it (the same `<fieldset>` markup) and the
    /// definition JSON, for the result pages' call to action: `worksheet.js` saves an answer
    /// given there in the reader's record for this worksheet. `None` without questions.
    pub teaser: Option<Teaser>,
    /// The `id:` value in the front matter, for the site-wide duplicate-id error.
    pub id_location: Location,
    /// Problems that do not fail the build (an unreachable band); the pipeline reports them.
    pub warnings: Vec<Diagnostic>,
}

/// What a result page needs to ask the worksheet's first question (see [`Worksheet::teaser`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teaser {
    /// The first question's `<fieldset>`, exactly as in the worksheet's form.
    pub fieldset_html: String,
    /// The worksheet's definition, escaped for a `<script type="application/json">`.
    pub definition_json: String,
}

/// One result (dimension or band), for its static page `/worksheets/<id>/result/<key>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorksheetResult {
    pub key: String,
    pub title: String,
    /// The body as HTML for the result's own page: its headings start at `<h2>` (the page
    /// title is the `<h1>`). Raw HTML in the body is shown as text.
    pub body_html: String,
    /// Plain text: the body's first sentence(s), at most 200 characters, for
    /// `og:description`; a short line naming the worksheet when the body is empty.
    pub description: String,
}
