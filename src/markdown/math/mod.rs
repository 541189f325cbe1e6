//! `$…$` and `$$…$$` (pulldown-cmark's math extension) to MathML Core at build time.
//!
//! Every current browser renders MathML Core, so a formula needs no script and no web font,
//! and the theme's Content-Security-Policy stays as strict as it is. The TeX is converted by
//! math-core (why that crate: ARCHITECTURE.md, Choices), bounded in size and stack
//! (`convert.rs`), its output made CSP-safe, valid and kind to Chromium (`tidy.rs`,
//! `attributes.rs`), and a formula that does not parse is a located error saying what to
//! write instead (`errors.rs`).
//!
//! Inline math is a `<math>` element; display math is `<math display="block">` in a
//! `<span class="math-display" tabindex="0">` that the theme lets scroll sideways when the
//! formula is wider than the column (a `<span>`, since `$$…$$` sits inside a paragraph; it
//! takes focus so the keyboard can scroll it, as tables do). The theme's Math section also
//! names common math fonts before the `math` family, which Chromium on Linux maps to a text
//! font without stretchy brackets, and styles the classes of `attributes.rs`; it is kept
//! small because every page loads it (the theme's CSS budget). In
//! plain-text contexts (the first paragraph used for descriptions, heading ids and the table
//! of contents) a formula is its TeX as written, delimiters included, and it counts as one
//! word.

mod attributes;
mod convert;
mod errors;
mod tidy;

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use crate::diagnostic::Diagnostic;

use super::transform::Pass;

#[cfg(test)]
pub(super) use convert::MAX_FORMULA_BYTES;

/// Past this many diagnostics on a page, unknown commands get no "did you mean" (each
/// suggestion tries a few hundred spellings).
const SUGGEST_WHILE_FEWER_THAN: usize = 64;

/// A formula as HTML: MathML, or the error found in it with its byte range in `tex`.
fn to_html(tex: &str, display: bool, suggest: bool) -> Result<String, errors::Problem> {
    match convert::convert(tex, display) {
        Ok(mathml) => {
            let math = tidy::tidy(&mathml, tex);
            Ok(if !display {
                math
            } else if math.contains("math-w100") {
                // Numbered rows (`align`, `equation`) are a table as wide as the column, with
                // the numbers at its right edge: sized by the column, not by its content.
                format!("<span class=\"math-display math-numbered\" tabindex=\"0\">{math}</span>")
            } else {
                format!("<span class=\"math-display\" tabindex=\"0\">{math}</span>")
            })
        }
        Err(failure) => Err(errors::explain(tex, display, &failure, suggest)),
    }
}

impl<'a> Pass<'_, 'a> {
    /// One `$…$` or `$$…$$`: MathML in the page, TeX in the plain-text views, a located
    /// error if it does not parse.
    pub(super) fn math(&mut self, tex: CowStr<'a>, display: bool, range: Range<usize>) {
        if self.prose.in_image() {
            // Image alt text is plain text: the writer prints a formula there as `$…$`.
            let event = if display {
                Event::DisplayMath(tex)
            } else {
                Event::InlineMath(tex)
            };
            self.out.push(event);
            return;
        }
        if tex.trim().is_empty() {
            // `$$ $$` is no formula: nothing to show.
            return;
        }
        let delimiter = if display { "$$" } else { "$" };
        let written = format!("{delimiter}{tex}{delimiter}");
        self.prose.formula(&written);
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(&written);
        }
        let suggest = self.diagnostics.len() < SUGGEST_WHILE_FEWER_THAN;
        match to_html(&tex, display, suggest) {
            Ok(html) => {
                if !display && looks_like_prices(&tex) {
                    let location = self.locator.at(range.start, range.len());
                    self.diagnostics.push(prices_warning(&written, location));
                }
                self.out.push(Event::InlineHtml(html.into()));
            }
            Err(problem) => {
                let location = self.formula_location(&tex, delimiter.len(), range, &problem.span);
                self.diagnostics.push(
                    Diagnostic::error(problem.message)
                        .at(location)
                        .label(problem.label)
                        .help(problem.help),
                );
                // The build fails; the preview shows the formula as written.
                let mut html = String::from("<code class=\"math-error\">");
                super::escape_html(&mut html, &written);
                html.push_str("</code>");
                self.out.push(Event::InlineHtml(html.into()));
            }
        }
    }

    /// Where `span` of the formula is in the file: exactly, when the TeX stands in the body as
    /// it was given to us (it does, unless a container's markers were taken out of a formula
    /// over several lines), else at the opening `$`.
    fn formula_location(
        &mut self,
        tex: &str,
        delimiter: usize,
        range: Range<usize>,
        span: &Range<usize>,
    ) -> crate::diagnostic::Location {
        let start = range.start + delimiter;
        let verbatim = self.body.get(start..start + tex.len()) == Some(tex);
        if verbatim {
            self.locator.at(start + span.start, span.len())
        } else {
            self.locator.at(range.start, delimiter)
        }
    }
}

/// An inline formula that reads like prose around two prices (`US$20 and US$30` makes the
/// formula `20 and US`, `$5-$10` makes `5-`): it starts with a digit, has no command, and has
/// a word in it or ends where a range or list of prices would go on.
fn looks_like_prices(tex: &str) -> bool {
    let word = |w: &str| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic());
    tex.starts_with(|c: char| c.is_ascii_digit())
        && !tex.contains('\\')
        && (tex.split_whitespace().skip(1).any(word) || tex.ends_with(['-', '–', '/', '(', ',']))
}

fn prices_warning(written: &str, location: crate::diagnostic::Location) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{written}` looks like amounts of money but is read as a formula"
    ))
    .at(location)
    .label("rendered as math")
    .help(
        "write each `$` of an amount as `\\$`; a `$` opens a formula when the next character \
         is not a space and closes one when the character before it is not a space",
    )
}
