//! [`PageWorksheet::finish`]: the checks that need all of a page's questions, then the
//! complete form and the [`Worksheet`] model.

use std::collections::HashMap;

use super::bands;
use super::definition;
use super::form;
use super::hash;
use super::header::Outcomes;
use super::markup::{self, Headings};
use super::page::PageWorksheet;
use super::probe::YPath;
use super::source::{Issue, MAX_REPORTED, YamlText};
use super::{Teaser, Worksheet, WorksheetResult};
use crate::diagnostic::Diagnostic;

impl PageWorksheet {
    /// After the page's Markdown rendered: checks that need every question (band coverage,
    /// at least one question, id clashes with the page's own headings), then wraps
    /// `content_html` into the complete form. `result_url(key)` is the URL path (with base
    /// path) of a result page.
    ///
    /// When a block of the page already failed (its diagnostics came from the Markdown
    /// render), band coverage is skipped and the form is built from the questions that
    /// parsed; the build fails on the block's errors anyway.
    pub(crate) fn finish(
        self,
        content_html: &str,
        page_title: &str,
        result_url: &dyn Fn(&str) -> String,
    ) -> Result<(String, Worksheet), Vec<Diagnostic>> {
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let header = &self.header;
        let front = YamlText::front_matter(&self.shown, &self.source, header.yaml.clone());
        let worksheet_key = YPath::root().key("worksheet");
        let mut issues: Vec<Issue> = Vec::new();
        if state.questions.is_empty() && !state.failed {
            issues.push(
                Issue::error(worksheet_key.clone(), "this worksheet has no questions")
                    .help("add a ```worksheet block with questions to the page"),
            );
        }
        // Ids in the rendered page (headings, footnotes) must not clash with the form's.
        let page_ids = element_ids_in(content_html);
        for fixed in form::FIXED_IDS {
            if page_ids.get(fixed).is_some_and(|n| *n > 0) {
                issues.push(
                    Issue::error(worksheet_key.clone(), format!("the page has an element with the id `{fixed}`, which the worksheet form uses"))
                        .help("a heading gets an id from its text; give it another with `{#other-id}` after the heading"),
                );
            }
        }
        let mut diagnostics = Vec::new();
        // Locating re-reads a block, so only the first few clashes (by block and element,
        // for a stable choice) are located; the rest are counted.
        let mut clashes: Vec<(&usize, &String, &String, &YPath)> = state
            .element_ids
            .iter()
            .filter(|(element, _)| page_ids.get(element.as_str()).is_some_and(|n| *n > 1))
            .map(|(element, (owner, block, at))| (block, element, owner, at))
            .collect();
        clashes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for &(block, element, owner, at) in clashes.iter().take(MAX_REPORTED) {
            diagnostics.push(
                Diagnostic::error(format!("the HTML id `{element}` of question `{owner}` is also used elsewhere on the page"))
                    .at(state.locate(&self.shown, &self.source, *block, at))
                    .help("a heading gets an id from its text; give it another with `{#other-id}`, or rename the question"),
            );
        }
        diagnostics.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
        if clashes.len() > MAX_REPORTED {
            diagnostics.push(
                Diagnostic::error(format!(
                    "{} more HTML ids of the worksheet are also used elsewhere on the page",
                    clashes.len() - MAX_REPORTED
                ))
                .at(front.location(0, 1))
                .help("fix the ones above and build again"),
            );
        }
        let ranges = match &header.result {
            Outcomes::Bands(bands) => {
                let at = YPath::root().at("worksheet").at("result").at("bands");
                let check = bands::check(bands, &state.questions, &at);
                if !state.failed {
                    issues.extend(check.issues);
                }
                check.ranges.into_iter().map(Some).collect()
            }
            Outcomes::Top(dims) => vec![None; dims.len()],
        };
        let (errors, warnings): (Vec<Issue>, Vec<Issue>) =
            issues.into_iter().partition(Issue::is_error);
        diagnostics.extend(front.diagnostics(&errors));
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let warnings = front.diagnostics(&warnings);

        let outcomes: Vec<(&str, &str, &str)> = match &header.result {
            Outcomes::Top(dims) => dims
                .iter()
                .map(|d| (d.key.as_str(), d.title.as_str(), d.body.as_str()))
                .collect(),
            Outcomes::Bands(bands) => bands
                .iter()
                .map(|b| (b.key.as_str(), b.title.as_str(), b.body.as_str()))
                .collect(),
        };
        let results: Vec<WorksheetResult> = outcomes
            .iter()
            .map(|(key, title, body)| {
                let text = markup::first_sentences(&markup::plain_text(body), 200);
                let description = if text.is_empty() {
                    markup::first_sentences(&format!("{title}: a result of “{page_title}”."), 200)
                } else {
                    text
                };
                WorksheetResult {
                    key: key.to_string(),
                    title: title.to_string(),
                    body_html: markup::block(body, Headings::From(2)),
                    description,
                }
            })
            .collect();
        let urls: Vec<String> = results.iter().map(|r| result_url(&r.key)).collect();
        let hash = hash::structure_hash(&state.questions);
        let defs: Vec<definition::ResultDef> = results
            .iter()
            .zip(&urls)
            .zip(&ranges)
            .map(|((r, url), range)| definition::ResultDef {
                key: &r.key,
                title: &r.title,
                url: url.clone(),
                range: *range,
            })
            .collect();
        let json = definition::definition_json(
            &header.id,
            header.version,
            &hash,
            header.result.by(),
            &defs,
            &state.questions,
        );
        // In the form a result sits under `<h3>`; on its own page under the page's `<h1>`.
        let form_bodies: Vec<String> = outcomes
            .iter()
            .map(|(_, _, body)| markup::block(body, Headings::From(4)))
            .collect();
        let views: Vec<form::ResultView> = results
            .iter()
            .zip(&urls)
            .zip(&form_bodies)
            .map(|((r, url), body_html)| form::ResultView {
                key: &r.key,
                title: &r.title,
                body_html,
                url,
            })
            .collect();
        let html = form::form(&header.id, header.version, content_html, &views, &json);
        let teaser = state.questions.first().map(|q| Teaser {
            fieldset_html: form::fieldset(q),
            definition_json: json.clone(),
        });
        let worksheet = Worksheet {
            id: header.id.clone(),
            version: header.version,
            hash,
            by: header.result.by(),
            results,
            questions: state.questions.len(),
            teaser,
            id_location: header.id_location(&self.shown, &self.source),
            warnings,
        };
        Ok((html, worksheet))
    }
}

/// How often each `id="..."` value occurs in some HTML.
fn element_ids_in(html: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        let Some(end) = rest.find('"') else { break };
        *counts.entry(&rest[..end]).or_insert(0) += 1;
        rest = &rest[end..];
    }
    counts
}
