//! The worksheet's HTML: one `<fieldset>` per question, and the `<form>` around the page.
//!
//! This markup is a contract with `worksheet.js` (class names, ids, data attributes), so it
//! is written out by hand here, every piece of author text through [`escape`] or the
//! Markdown renderer. Without the script the form is a readable, printable questionnaire.

use std::fmt::Write;

use super::markup::{self, Headings, escape};
use super::question::{QType, Question};

/// Ids the form itself uses; nothing else on the page may have them.
pub(super) const FIXED_IDS: [&str; 3] = ["worksheet", "ws-result-heading", "ws-definition"];

/// A number written as the definition JSON writes it (`3`, not `3.0`; `1e-7`), which is
/// also how JavaScript's `String(n)` writes it, so attributes and definition agree.
pub(super) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or_else(|| n.to_string(), |j| j.to_string())
    }
}

/// Every element id [`fieldset`] gives `q`, so clashes can be found before rendering.
pub(super) fn element_ids(q: &Question) -> Vec<String> {
    let id = &q.id;
    let mut ids = vec![format!("q-{id}"), format!("q-{id}-prompt")];
    match q.kind {
        QType::Single | QType::Multi | QType::Checklist => {
            ids.extend(q.options.iter().map(|o| format!("ws-{id}-{}", o.id)));
        }
        QType::Scale => ids.extend(q.scale_values().iter().map(|v| format!("ws-{id}-{v}"))),
        QType::Number => ids.extend([format!("ws-{id}"), format!("q-{id}-hint")]),
        QType::Text | QType::Textarea => ids.push(format!("ws-{id}")),
        QType::Rank => {}
    }
    ids
}

/// The `<fieldset>` of one question.
pub(super) fn fieldset(q: &Question) -> String {
    let id = escape(&q.id);
    let mut h = String::new();
    let share = if q.share { "" } else { " data-share=\"false\"" };
    let _ = writeln!(
        h,
        "<fieldset class=\"ws-q\" id=\"q-{id}\" data-q=\"{id}\" data-type=\"{}\"{share}>",
        q.kind.as_str()
    );
    let _ = writeln!(h, "<legend id=\"q-{id}-prompt\">{}</legend>", q.prompt_html);
    let labelled = format!("aria-labelledby=\"q-{id}-prompt\"");
    match q.kind {
        QType::Single => choices(&mut h, q, "radio"),
        QType::Multi => {
            if let Some(hint) = multi_hint(q.min, q.max) {
                let _ = writeln!(h, "<p class=\"ws-hint\">{}</p>", escape(&hint));
            }
            choices(&mut h, q, "checkbox");
        }
        QType::Checklist => choices(&mut h, q, "checkbox"),
        QType::Scale => scale(&mut h, q),
        QType::Number => {
            let mut attrs = String::new();
            for (name, value) in [("min", q.min), ("step", q.step), ("max", q.max)] {
                if let Some(v) = value {
                    let _ = write!(attrs, " {name}=\"{}\"", number_text(v));
                }
            }
            // The range in words, tied to the input; worksheet.js says here what is wrong
            // with a value outside it.
            if let Some(range) = number_hint(q.min, q.max, q.step) {
                let _ = write!(attrs, " aria-describedby=\"q-{id}-hint\"");
                let _ = writeln!(
                    h,
                    "<input type=\"number\" id=\"ws-{id}\" name=\"{id}\" {labelled}{attrs}>"
                );
                let _ = writeln!(
                    h,
                    "<p class=\"ws-hint\" id=\"q-{id}-hint\">{}</p>",
                    escape(&range)
                );
            } else {
                let _ = writeln!(
                    h,
                    "<input type=\"number\" id=\"ws-{id}\" name=\"{id}\" {labelled}{attrs}>"
                );
            }
        }
        QType::Text => {
            let _ = writeln!(
                h,
                "<input type=\"text\" id=\"ws-{id}\" name=\"{id}\" {labelled} maxlength=\"{}\">",
                q.max_length.unwrap_or(120)
            );
        }
        QType::Textarea => {
            let _ = writeln!(
                h,
                "<textarea id=\"ws-{id}\" name=\"{id}\" {labelled} maxlength=\"{}\" rows=\"4\"></textarea>",
                q.max_length.unwrap_or(280)
            );
        }
        QType::Rank => {
            let _ = writeln!(h, "<ol class=\"ws-rank\" {labelled}>");
            for o in &q.options {
                let label = escape(&o.label);
                let _ = writeln!(
                    h,
                    "<li data-option=\"{}\"><span class=\"ws-rank-label\">{label}</span> <span class=\"ws-rank-buttons\" hidden><button type=\"button\" data-move=\"up\" aria-label=\"Move {label} up\">↑</button><button type=\"button\" data-move=\"down\" aria-label=\"Move {label} down\">↓</button></span></li>",
                    escape(&o.id)
                );
            }
            h.push_str("</ol>\n");
        }
    }
    if !q.share {
        h.push_str("<p class=\"ws-private\">Private: not included in shared links.</p>\n");
    }
    if q.correct.is_some() {
        h.push_str("<div class=\"ws-feedback\" hidden><p class=\"ws-verdict\"></p>");
        // Always there (empty without `explain`): worksheet.js and its contract tests expect it.
        let explain = q
            .explain
            .as_deref()
            .map(|e| markup::block(e, Headings::Bold))
            .unwrap_or_default();
        let _ = writeln!(h, "<div class=\"ws-explain\">{explain}</div></div>");
    }
    h.push_str("</fieldset>\n");
    h
}

fn choices(h: &mut String, q: &Question, input: &str) {
    let id = escape(&q.id);
    h.push_str("<div class=\"ws-options\">\n");
    for o in &q.options {
        let opt = escape(&o.id);
        let _ = writeln!(
            h,
            "<label for=\"ws-{id}-{opt}\"><input type=\"{input}\" id=\"ws-{id}-{opt}\" name=\"{id}\" value=\"{opt}\"> {}</label>",
            escape(&o.label)
        );
    }
    h.push_str("</div>\n");
}

/// A row of segments, one native radio each (keyboard and screen readers treat it as the
/// radio group it is), with the end labels under its two ends. The end labels are hidden
/// from screen readers there and read as part of the first and last radio's name instead.
fn scale(h: &mut String, q: &Question) {
    let id = escape(&q.id);
    let values = q.scale_values();
    h.push_str("<div class=\"ws-options ws-scale\">\n<div class=\"ws-scale-points\">\n");
    for (i, v) in values.iter().enumerate() {
        let end_label = if i == 0 {
            q.min_label.as_ref()
        } else if i + 1 == values.len() {
            q.max_label.as_ref()
        } else {
            None
        };
        let aria = end_label
            .map(|l| format!(" aria-label=\"{}\"", escape(&format!("{v}: {l}"))))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<label for=\"ws-{id}-{v}\"><input type=\"radio\" id=\"ws-{id}-{v}\" name=\"{id}\" value=\"{v}\"{aria}> <span>{v}</span></label>"
        );
    }
    h.push_str("</div>\n");
    if q.min_label.is_some() || q.max_label.is_some() {
        let end = |label: &Option<String>| label.as_deref().map(escape).unwrap_or_default();
        let _ = writeln!(
            h,
            "<p class=\"ws-scale-ends\" aria-hidden=\"true\"><span>{}</span><span>{}</span></p>",
            end(&q.min_label),
            end(&q.max_label)
        );
    }
    h.push_str("</div>\n");
}

/// A number question's range in words: "A number from 0 to 150.", "At least 1.", ...
fn number_hint(min: Option<f64>, max: Option<f64>, step: Option<f64>) -> Option<String> {
    let text = |n: f64| number_text(n);
    let whole = step.is_some_and(|s| s == 1.0);
    let noun = if whole { "A whole number" } else { "A number" };
    let range = match (min, max) {
        (Some(a), Some(b)) => format!("{noun} from {} to {}", text(a), text(b)),
        (Some(a), None) => format!("{noun} of at least {}", text(a)),
        (None, Some(b)) => format!("{noun} of at most {}", text(b)),
        (None, None) if whole => noun.to_string(),
        (None, None) => return None,
    };
    Some(match step {
        Some(s) if s != 1.0 => format!("{range}, in steps of {}.", text(s)),
        _ => format!("{range}."),
    })
}

fn multi_hint(min: Option<f64>, max: Option<f64>) -> Option<String> {
    let text = |n: f64| number_text(n);
    Some(match (min, max) {
        (Some(a), Some(b)) if a == b => format!("Choose {}.", text(a)),
        (Some(a), Some(b)) => format!("Choose between {} and {}.", text(a), text(b)),
        (Some(a), None) => format!("Choose at least {}.", text(a)),
        (None, Some(b)) => format!("Choose up to {}.", text(b)),
        (None, None) => return None,
    })
}

/// A result as the form shows it.
pub(super) struct ResultView<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub body_html: &'a str,
    pub url: &'a str,
}

/// The whole form: the page's rendered content (prose and fieldsets), the result section,
/// the actions and the embedded definition (already escaped for a `<script>`).
pub(super) fn form(
    id: &str,
    version: u32,
    content_html: &str,
    results: &[ResultView],
    definition_json: &str,
) -> String {
    let mut h = String::with_capacity(content_html.len() + 2048);
    let _ = writeln!(
        h,
        "<form class=\"worksheet\" id=\"worksheet\" data-worksheet=\"{}\" data-version=\"{version}\" method=\"dialog\" novalidate>",
        escape(id)
    );
    h.push_str("<div class=\"ws-banner\" hidden data-pagefind-ignore><p class=\"ws-banner-text\">Viewing shared answers.</p><button type=\"button\" data-action=\"make-mine\">Make it mine</button> <button type=\"button\" data-action=\"clear\">Clear</button></div>\n");
    h.push_str("<p class=\"ws-message\" role=\"status\" hidden data-pagefind-ignore></p>\n");
    h.push_str(content_html);
    if !content_html.ends_with('\n') {
        h.push('\n');
    }
    h.push_str("<section class=\"ws-result\" aria-labelledby=\"ws-result-heading\">\n");
    h.push_str("<h2 id=\"ws-result-heading\" data-pagefind-ignore>Your result</h2>\n");
    h.push_str("<div class=\"ws-live\" aria-live=\"polite\"><p class=\"ws-status\" data-pagefind-ignore>Answer the questions to see your result.</p>\n");
    for r in results {
        let _ = writeln!(
            h,
            "<div class=\"ws-result-item\" data-result=\"{}\" hidden><h3>{}</h3>{}<p class=\"ws-result-share\" data-pagefind-ignore><a class=\"ws-primary\" href=\"{}\">Share my result</a> <button type=\"button\" data-action=\"copy-mine\">Copy link to my answers</button></p></div>",
            escape(r.key),
            escape(r.title),
            r.body_html,
            escape(r.url)
        );
    }
    h.push_str("</div>\n");
    let links: Vec<String> = results
        .iter()
        .map(|r| format!("<a href=\"{}\">{}</a>", escape(r.url), escape(r.title)))
        .collect();
    let _ = writeln!(
        h,
        "<p class=\"ws-all-results\">All results: {}</p>",
        links.join(", ")
    );
    h.push_str("</section>\n");
    // Reset last and quiet: the one action that loses work (worksheet.js asks first).
    h.push_str("<div class=\"ws-actions\" hidden data-pagefind-ignore><button type=\"button\" data-action=\"copy-link\">Copy link</button> <button type=\"button\" data-action=\"print\">Print</button> <button type=\"button\" class=\"ws-quiet\" data-action=\"reset\">Reset</button></div>\n");
    let _ = writeln!(
        h,
        "<script type=\"application/json\" id=\"ws-definition\">{definition_json}</script>"
    );
    h.push_str("</form>\n");
    h
}
