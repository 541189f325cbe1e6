//! Running the component calls of a page (`calls.rs` finds them) in the single pass: each
//! argument is checked against the component's declared parameters and turned into what
//! its type promises (a resolved URL, an image, a page's card, Markdown as HTML), then the
//! [`ComponentHandler`] renders the component's template in the call's place.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Parser};
use serde_json::{Map, Value, json};

use super::broken::Pointer;
use super::calls::{Arg, BadCall, Call, CallKind, Literal};
use super::transform::Pass;
use super::{Param, ParamKind};
use crate::diagnostic::{Diagnostic, did_you_mean};

/// A `{% name(…) %}` whose `{% end %}` has not come yet.
pub(super) struct OpenCall {
    call: Call,
    /// Where its body starts in the pass's output.
    out_at: usize,
    depth: usize,
}

impl<'a> Pass<'_, 'a> {
    /// Handles the call line within `range` (an `Html` event's), if there is one; true
    /// when it did.
    pub(super) fn component_line(&mut self, range: &Range<usize>) -> bool {
        let Some(at) = self.calls.iter().position(|(at, _)| range.contains(at)) else {
            return false;
        };
        let (_, call) = self.calls.swap_remove(at);
        match call {
            Err(bad) => self.bad_call(bad),
            Ok(call) => match call.kind {
                CallKind::Inline => {
                    if let Some(html) = self.run_component(&call, None) {
                        self.generated_ids(&html);
                        self.out.push(Event::Html(CowStr::from(html + "\n")));
                    }
                }
                CallKind::Open => self.open_calls.push(OpenCall {
                    call,
                    out_at: self.out.len(),
                    depth: self.depth,
                }),
                CallKind::End => self.close_call(&call),
            },
        }
        true
    }

    fn close_call(&mut self, end: &Call) {
        let Some(open) = self.open_calls.pop() else {
            let location = self.locator.at(end.span.start, end.span.len());
            self.diagnostics.push(
                Diagnostic::error("`{% end %}` closes nothing")
                    .at(location)
                    .label("no `{% name(…) %}` is open here")
                    .help("remove it, or open the component above it"),
            );
            return;
        };
        if open.depth != self.depth {
            let location = self.locator.at(end.span.start, end.span.len());
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "`{{% end %}}` of `{}` is not at the level of its opening",
                    open.call.name
                ))
                .at(location)
                .label("inside another block than the opening line")
                .help("open and close a component at the same indentation, outside lists and quotes, or both inside the same one"),
            );
        }
        let at = open.out_at.min(self.out.len());
        let inner: Vec<Event<'a>> = self.out.drain(at..).collect();
        let mut body = String::new();
        pulldown_cmark::html::push_html(&mut body, inner.into_iter());
        if let Some(html) = self.run_component(&open.call, Some(&body)) {
            self.generated_ids(&html);
            self.out.push(Event::Html(CowStr::from(html + "\n")));
        }
    }

    /// Reports components left open at the end of the page.
    pub(super) fn unclosed_calls(&mut self) {
        for open in std::mem::take(&mut self.open_calls) {
            let location = self.locator.at(open.call.span.start, open.call.span.len());
            self.diagnostics.push(
                Diagnostic::error(format!("`{}` is never closed", open.call.name))
                    .at(location)
                    .label("opened here")
                    .help("end its body with a line `{% end %}`"),
            );
        }
    }

    fn bad_call(&mut self, bad: BadCall) {
        let location = self.locator.at(bad.at.start, bad.at.len());
        self.diagnostics.push(
            Diagnostic::error(format!("cannot read this component call: {}", bad.message))
                .at(location)
                .help(bad.help),
        );
    }

    /// Checks the call's arguments and renders it; `None` after reporting a problem.
    fn run_component(&mut self, call: &Call, body: Option<&str>) -> Option<String> {
        let components = self.input.components;
        let Some(params) = components.signature(&call.name) else {
            let names = components.names();
            let hint = did_you_mean(&call.name, names.iter().map(String::as_str));
            let location = self.locator.at(call.name_at.start, call.name_at.len());
            let d = Diagnostic::error(format!("no component named `{}`", call.name)).at(location);
            self.diagnostics.push(
                match hint {
                    Some(hint) => d.label(format!("did you mean `{hint}`?")),
                    None => d.label("not in the theme's `templates/components/`"),
                }
                .help(format!(
                    "the components are: {}; a site adds one as `templates/components/<name>.html`",
                    names.join(", ")
                )),
            );
            return None;
        };
        let params = params.to_vec();
        let mut ok = true;
        let mut values = Map::new();
        for arg in &call.args {
            let Some(param) = params
                .iter()
                .find(|p| p.name == arg.name && p.name != "body")
            else {
                let hint = did_you_mean(
                    &arg.name,
                    params
                        .iter()
                        .filter(|p| p.name != "body")
                        .map(|p| p.name.as_str()),
                );
                let location = self.locator.at(arg.name_at.start, arg.name_at.len());
                let d =
                    Diagnostic::error(format!("`{}` has no argument `{}`", call.name, arg.name))
                        .at(location);
                self.diagnostics.push(
                    match hint {
                        Some(hint) => d.label(format!("did you mean `{hint}`?")),
                        None => d.label("unknown argument"),
                    }
                    .help(signature_help(&call.name, &params)),
                );
                ok = false;
                continue;
            };
            if values.contains_key(&arg.name) {
                let location = self.locator.at(arg.name_at.start, arg.name_at.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("`{}` is given twice", arg.name))
                        .at(location)
                        .help("give each argument once"),
                );
                ok = false;
                continue;
            }
            match self.argument(param, arg) {
                Some(value) => {
                    values.insert(arg.name.clone(), value);
                }
                None => ok = false,
            }
        }
        let takes_body = params.iter().find(|p| p.name == "body");
        match (takes_body, body) {
            (Some(_), Some(body)) => {
                values.insert("body".into(), Value::String(body.to_string()));
            }
            (Some(param), None) if param.required => {
                let location = self.locator.at(call.span.start, call.span.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("`{}` needs a body", call.name))
                        .at(location)
                        .help(format!(
                            "write `{{% {}(…) %}}`, the Markdown, then `{{% end %}}` on lines of their own",
                            call.name
                        )),
                );
                ok = false;
            }
            (None, Some(_)) => {
                let location = self.locator.at(call.span.start, call.span.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("`{}` takes no body", call.name))
                        .at(location)
                        .help(format!(
                            "write `{{{{ {}(…) }}}}` on a line of its own",
                            call.name
                        )),
                );
                ok = false;
            }
            _ => {}
        }
        for param in params.iter().filter(|p| p.required && p.name != "body") {
            if !values.contains_key(&param.name) && !call.args.iter().any(|a| a.name == param.name)
            {
                let location = self.locator.at(call.span.start, call.span.len());
                self.diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` needs the argument `{}`",
                        call.name, param.name
                    ))
                    .at(location)
                    .label(format!("no `{}=` here", param.name))
                    .help(signature_help(&call.name, &params)),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        match components.render(&call.name, &values) {
            Ok(html) => Some(html),
            Err(message) => {
                let location = self.locator.at(call.span.start, call.span.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("the component `{}` failed: {message}", call.name))
                        .at(location)
                        .help(format!(
                            "the template is `templates/components/{}.html` of the theme or site",
                            call.name
                        )),
                );
                None
            }
        }
    }

    /// One argument as its parameter's type wants it, or `None` after reporting why not.
    fn argument(&mut self, param: &Param, arg: &Arg) -> Option<Value> {
        let wrong = |this: &mut Self, what: &str| {
            let location = this.locator.at(arg.value_at.start, arg.value_at.len());
            this.diagnostics.push(
                Diagnostic::error(format!("`{}` must be {what}", arg.name))
                    .at(location)
                    .label(format!("{} given", literal_kind(&arg.value)))
                    .help(format!("write `{}={}`", arg.name, example(param.kind))),
            );
            None
        };
        let text = match (&arg.value, param.kind) {
            // `2` stays `2` in the template, not `2.0`.
            (Literal::Number(n), ParamKind::Number) if n.fract() == 0.0 && n.abs() < 9e15 => {
                return Some(json!(*n as i64));
            }
            (Literal::Number(n), ParamKind::Number) => return Some(json!(n)),
            (Literal::Bool(b), ParamKind::Bool) => return Some(json!(b)),
            (_, ParamKind::Number) => return wrong(self, "a number"),
            (_, ParamKind::Bool) => return wrong(self, "true or false"),
            (Literal::String(s), _) => s.clone(),
            _ => return wrong(self, "a quoted string"),
        };
        // The string's text starts after its opening quote.
        let inner = arg.value_at.start + 1..arg.value_at.end.saturating_sub(1);
        match param.kind {
            ParamKind::String => Some(Value::String(text)),
            ParamKind::Markdown => Some(Value::String(inline_markdown(&text))),
            ParamKind::Url => Some(Value::String(self.resolve_arg(
                &text,
                Pointer::Link,
                inner,
            )?)),
            ParamKind::Image => {
                self.resolved_image = None;
                let url = self.resolve_arg(&text, Pointer::Image, inner)?;
                let mut value = json!({ "url": url });
                if let Some(image) = self.resolved_image.take() {
                    value["width"] = json!(image.width);
                    value["height"] = json!(image.height);
                    if !image.webp.is_empty() {
                        value["webp_srcset"] = json!(super::pictures::srcset(&image));
                        value["sizes"] = json!(super::pictures::SIZES);
                    }
                }
                Some(value)
            }
            ParamKind::Page => self.page_arg(&text, inner, false),
            ParamKind::Worksheet => self.page_arg(&text, inner, true),
            ParamKind::Number | ParamKind::Bool => None,
        }
    }

    /// A URL argument resolved like a link written at `inner`; an outside URL is kept.
    fn resolve_arg(&mut self, text: &str, pointer: Pointer, inner: Range<usize>) -> Option<String> {
        let before = self.diagnostics.len();
        let url = self.resolve_raw(text, pointer, inner.start);
        if self.diagnostics.len() > before
            && self.diagnostics[before..]
                .iter()
                .any(|d| d.severity == crate::diagnostic::Severity::Error)
        {
            return None;
        }
        Some(url.unwrap_or_else(|| text.to_string()))
    }

    /// A `.md` path to a page of the site, as the card data templates show.
    fn page_arg(&mut self, text: &str, inner: Range<usize>, worksheet: bool) -> Option<Value> {
        if !text.split(['#', '?']).next().unwrap_or("").ends_with(".md") {
            let location = self.locator.at(inner.start, inner.len());
            self.diagnostics.push(
                Diagnostic::error(format!("`{text}` is not a page's Markdown file"))
                    .at(location)
                    .help("name the page by its `.md` file, relative to this file: `../worksheets/quiz.md`"),
            );
            return None;
        }
        self.resolved_document = None;
        self.resolve_arg(text, Pointer::Link, inner.clone())?;
        let document = self.resolved_document.take()?;
        match self.input.links.page_card(&document) {
            Some(card) if worksheet && card.get("worksheet").is_none() => {
                let location = self.locator.at(inner.start, inner.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("`{text}` is not a worksheet"))
                        .at(location)
                        .label("a page without `worksheet:` in its front matter")
                        .help("name a worksheet's `.md` file"),
                );
                None
            }
            Some(card) => Some(card),
            None => {
                let location = self.locator.at(inner.start, inner.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("`{text}` has no card to show"))
                        .at(location)
                        .help("it is a section or failed to build; link a page"),
                );
                None
            }
        }
    }
}

/// `figure(src: image!, alt: string!, …)`.
fn signature_help(name: &str, params: &[Param]) -> String {
    let list: Vec<String> = params
        .iter()
        .filter(|p| p.name != "body")
        .map(|p| {
            format!(
                "{}: {}{}",
                p.name,
                kind_name(p.kind),
                if p.required { " (required)" } else { "" }
            )
        })
        .collect();
    format!("`{name}` takes {}", list.join(", "))
}

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::String => "text",
        ParamKind::Markdown => "Markdown text",
        ParamKind::Number => "a number",
        ParamKind::Bool => "true or false",
        ParamKind::Url => "a link",
        ParamKind::Image => "an image",
        ParamKind::Page => "a page's .md file",
        ParamKind::Worksheet => "a worksheet's .md file",
    }
}

fn example(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Number => "3",
        ParamKind::Bool => "true",
        ParamKind::Image => "\"picture.png\"",
        ParamKind::Page | ParamKind::Worksheet => "\"../worksheets/quiz.md\"",
        ParamKind::Url => "\"../essays/other.md\"",
        ParamKind::String | ParamKind::Markdown => "\"some text\"",
    }
}

fn literal_kind(value: &Literal) -> &'static str {
    match value {
        Literal::String(_) => "text",
        Literal::Number(_) => "a number",
        Literal::Bool(_) => "a boolean",
    }
}

/// One line of Markdown (emphasis, code, links) as HTML without the paragraph around it;
/// raw HTML in it is shown as text.
pub(super) fn inline_markdown(text: &str) -> String {
    let events = Parser::new_ext(text, super::options()).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_string()
}
