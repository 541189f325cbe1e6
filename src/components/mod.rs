//! The components pages call from Markdown (`{{ figure(…) }}`, `{% aside() %}…{% end %}`):
//! templates under `templates/components/` of the theme, which a site overrides or adds to
//! with its own `templates/components/<name>.html`, like any template.
//!
//! A component declares its parameters in a comment on its first line, so a call is checked
//! before it is rendered (unknown component, unknown or missing argument, wrong type):
//!
//! ```text
//! {#- args: src: image!, alt: string!, caption: markdown, link: url -#}
//! ```
//!
//! `!` marks a required argument; a parameter `body` means the component takes a body.
//! Types: `string`, `markdown`, `number`, `bool`, `url`, `image`, `page`, `worksheet`
//! (see [`ParamKind`]).

mod signature;

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use tera::Tera;

use crate::diagnostic::{Diagnostic, Location};
use crate::fingerprint::Fingerprint;
use crate::markdown::{ComponentHandler, Param, ParamKind};
use crate::theme::ThemeFiles;

/// The folder of component templates inside `templates/`.
const FOLDER: &str = "components/";

/// Every component of the theme and site, compiled.
pub(crate) struct Components {
    tera: Tera,
    signatures: BTreeMap<String, Vec<Param>>,
    /// Changes whenever a component template does: bodies rendered with the old ones are
    /// stale.
    pub key: u64,
}

impl Components {
    /// What [`Components::key`] will be for `files`, without compiling them.
    pub(crate) fn key_of(files: &ThemeFiles) -> u64 {
        let mut key = Fingerprint::new();
        for file in files
            .templates
            .iter()
            .filter(|f| f.name.starts_with(FOLDER))
        {
            key.with(&file.name);
            key.with(&file.bytes[..]);
        }
        key.finish()
    }

    /// Compiles the component templates among `files`; each broken one is reported (its
    /// declaration or its Tera syntax) and left out.
    pub(crate) fn compile(files: &ThemeFiles) -> (Self, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        let mut signatures = BTreeMap::new();
        for file in files
            .templates
            .iter()
            .filter(|f| f.name.starts_with(FOLDER))
        {
            let Some(name) = file
                .name
                .strip_prefix(FOLDER)
                .and_then(|n| n.strip_suffix(".html"))
                .filter(|n| !n.contains('/'))
            else {
                continue;
            };
            let Ok(text) = std::str::from_utf8(&file.bytes) else {
                diagnostics.push(
                    Diagnostic::error("the component template is not valid UTF-8")
                        .at(Location::file_only(&file.shown))
                        .help("save it as UTF-8"),
                );
                continue;
            };
            let params = match signature::read(text) {
                Ok(params) => params,
                Err(bad) => {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "cannot read the arguments of the component `{name}`: {}",
                            bad.message
                        ))
                        .at(Location::at_offset(&file.shown, text, bad.at, bad.len))
                        .help(signature::HELP),
                    );
                    continue;
                }
            };
            if let Err(e) = tera.add_raw_template(&file.name, text) {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "template syntax error in the component `{name}`: {}",
                        chain(&e)
                    ))
                    .at(Location::file_only(&file.shown))
                    .help("fix the template's Tera syntax"),
                );
                continue;
            }
            signatures.insert(name.to_string(), params);
        }
        let components = Components {
            tera,
            signatures,
            key: Self::key_of(files),
        };
        (components, diagnostics)
    }
}

impl ComponentHandler for Components {
    fn signature(&self, name: &str) -> Option<&[Param]> {
        self.signatures.get(name).map(Vec::as_slice)
    }

    fn names(&self) -> Vec<String> {
        self.signatures.keys().cloned().collect()
    }

    fn render(&self, name: &str, args: &Map<String, Value>) -> Result<String, String> {
        let mut context = tera::Context::new();
        for (key, value) in args {
            context.insert(key.clone(), value);
        }
        self.tera
            .render(&format!("{FOLDER}{name}.html"), &context)
            .map(|html| html.trim().to_string())
            .map_err(|e| chain(&e))
    }
}

/// A Tera error with its causes, on one line (a template's `throw(message=…)` is its
/// message alone).
fn chain(err: &tera::Error) -> String {
    if let tera::ErrorKind::RenderingError(report) | tera::ErrorKind::SyntaxError(report) =
        err.kind()
    {
        return report.message().to_string();
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The parameter kinds by the names declarations use.
pub(crate) fn kind_named(name: &str) -> Option<ParamKind> {
    Some(match name {
        "string" => ParamKind::String,
        "markdown" => ParamKind::Markdown,
        "number" => ParamKind::Number,
        "bool" => ParamKind::Bool,
        "url" => ParamKind::Url,
        "image" => ParamKind::Image,
        "page" => ParamKind::Page,
        "worksheet" => ParamKind::Worksheet,
        _ => return None,
    })
}
