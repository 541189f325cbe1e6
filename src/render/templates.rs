//! Loading Tera 2 templates and turning template errors into located diagnostics.
//!
//! Tera 2 was chosen over Tera 1 because both its syntax and its rendering errors carry a
//! span (line and column in the template), which the spec's error format needs; see
//! ARCHITECTURE.md.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{ErrorKind, Kwargs, State, Tera};

use super::assets::AssetManifest;
use crate::diagnostic::{Diagnostic, Location};
use crate::theme::ThemeFile;
use crate::urls::Urls;

/// Compiled templates plus what is needed to locate their errors.
pub(crate) struct Templates {
    pub tera: Tera,
    sources: HashMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Compiles every template, reporting each broken one (not only the first).
    pub(crate) fn compile(
        files: &[ThemeFile],
        urls: &Urls,
        assets: Arc<AssetManifest>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut sources = HashMap::new();
        let mut diagnostics = Vec::new();
        let mut good = Vec::new();
        // Components are compiled on their own (`crate::components`), for the Markdown.
        for file in files.iter().filter(|f| !f.name.starts_with("components/")) {
            let text = match String::from_utf8(file.bytes.clone()) {
                Ok(text) => text,
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::error("the template is not valid UTF-8")
                            .at(Location::file_only(&file.shown))
                            .help("save it as UTF-8"),
                    );
                    continue;
                }
            };
            sources.insert(file.name.clone(), (file.shown.clone(), text.clone()));
            // Parse alone first so each file's syntax errors are reported, even when
            // another template is broken too.
            let mut alone = Tera::new();
            match alone.add_raw_template(&file.name, &text) {
                Err(e) if matches!(e.kind(), ErrorKind::SyntaxError(_)) => {
                    diagnostics.push(diagnostic_from(&e, &sources));
                }
                _ => good.push((file.name.clone(), text)),
            }
        }
        let mut templates = Templates {
            tera: Tera::new(),
            sources,
        };
        templates.tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        register_functions(&mut templates.tera, urls, assets);
        if let Err(e) = templates.tera.add_raw_templates(good) {
            diagnostics.extend(diagnostics_from(&e, &templates.sources));
        }
        for required in [
            "index.html",
            "section.html",
            "page.html",
            "tags.html",
            "tag.html",
            "404.html",
            "alias.html",
            "worksheet_result.html",
        ] {
            if !templates.tera.contains_template(required)
                && !templates.sources.contains_key(required)
            {
                diagnostics.push(
                    Diagnostic::error(format!("the theme has no `{required}` template"))
                        .help(format!("add templates/{required} to the site or the theme")),
                );
            }
        }
        if diagnostics.is_empty() {
            Ok(templates)
        } else {
            Err(diagnostics)
        }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `name`, turning a failure into a diagnostic located in the template.
    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| diagnostic_from(&e, &self.sources))
    }
}

fn register_functions(tera: &mut Tera, urls: &Urls, assets: Arc<AssetManifest>) {
    let link_urls = urls.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let absolute: bool = kwargs.get("absolute")?.unwrap_or(false);
            Ok(if absolute {
                link_urls.absolute(&path)
            } else {
                link_urls.path(&path)
            })
        },
    );
    let asset_urls = urls.clone();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let resolved = assets.resolve(&path).ok_or_else(|| {
                tera::Error::message(format!(
                    "asset `{path}` not found in the theme's static/ folder"
                ))
            })?;
            let absolute: bool = kwargs.get("absolute")?.unwrap_or(false);
            Ok(if absolute {
                asset_urls.absolute(resolved)
            } else {
                asset_urls.path(resolved)
            })
        },
    );
}

/// Maps a Tera error to a diagnostic pointing into the template file.
fn diagnostic_from(err: &tera::Error, sources: &HashMap<String, (PathBuf, String)>) -> Diagnostic {
    let report = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let kind = match err.kind() {
        ErrorKind::SyntaxError(_) => "template syntax error",
        _ => "template error",
    };
    let Some(report) = report else {
        if let ErrorKind::Msg(text) = err.kind() {
            let mut reports = parse_reports(text, sources);
            if !reports.is_empty() {
                // Tera joins one report per unknown name; the first is returned here and
                // the rest ride along as further diagnostics via `diagnostics_from`.
                return reports.remove(0);
            }
        }
        let d = Diagnostic::error(format!("{kind}: {}", chain(err)));
        return match err.kind() {
            ErrorKind::TemplateNotFound(_) | ErrorKind::MissingParent { .. } => {
                d.help("check the template names used in extends/include and the theme's files")
            }
            _ => d,
        };
    };
    let message = format!("{kind}: {}", report.message());
    let Some((shown, text)) = sources.get(report.filename()) else {
        return Diagnostic::error(message);
    };
    let span = report.span();
    let width = if span.start_line == span.end_line {
        span.end_col.saturating_sub(span.start_col)
    } else {
        1
    };
    let location = Location::at_line_col(shown, text, span.start_line, span.start_col + 1, width);
    let mut d = Diagnostic::error(message).at(location);
    let cause = chain(err);
    if !cause.is_empty() && !cause.contains(report.message()) {
        d = d.label(cause);
    }
    d
}

/// Every diagnostic in a Tera error: its check of filter, test and function names
/// reports each unknown one, joined in one message.
fn diagnostics_from(
    err: &tera::Error,
    sources: &HashMap<String, (PathBuf, String)>,
) -> Vec<Diagnostic> {
    if let ErrorKind::Msg(text) = err.kind() {
        let reports = parse_reports(text, sources);
        if !reports.is_empty() {
            return reports;
        }
    }
    vec![diagnostic_from(err, sources)]
}

/// Filters sheaf's templates can use: Tera 2's built-in ones (sheaf adds none).
const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
];

/// Functions: Tera's `range` and `throw`, and sheaf's `url` and `asset`.
const FUNCTIONS: &[&str] = &["asset", "range", "throw", "url"];

/// Tests (`is ...`): Tera 2's built-in ones.
const TESTS: &[&str] = &[
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];

/// Tera's rendered reports (`error: Unknown filter `x`` then ` --> name:line:col`, the
/// source line and a caret line) turned back into located diagnostics that name the
/// template's real path, with a "did you mean" for an unknown filter, test or function.
fn parse_reports(text: &str, sources: &HashMap<String, (PathBuf, String)>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(message) = lines[i].trim().strip_prefix("error: ") else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        let mut place = None;
        let mut width = 1;
        while j < lines.len() && !lines[j].trim().starts_with("error: ") {
            let line = lines[j].trim();
            if let Some(at) = line.strip_prefix("--> ") {
                let mut parts = at.rsplitn(3, ':');
                let col = parts.next().and_then(|c| c.parse::<usize>().ok());
                let row = parts.next().and_then(|r| r.parse::<usize>().ok());
                if let (Some(col), Some(row), Some(name)) = (col, row, parts.next()) {
                    place = Some((name.to_string(), row, col));
                }
            } else if line.ends_with('^') {
                width = line.chars().filter(|c| *c == '^').count().max(1);
            }
            j += 1;
        }
        i = j;
        let mut d = Diagnostic::error(format!("template error: {message}"));
        if let Some((name, row, col)) = place {
            match sources.get(&name) {
                Some((shown, source)) => {
                    d = d.at(Location::at_line_col(shown, source, row, col, width));
                }
                None => d = d.at(Location::file_only(name)),
            }
        }
        let unknown = [
            ("Unknown filter `", FILTERS, "filters"),
            ("Unknown function `", FUNCTIONS, "functions"),
            ("Unknown test `", TESTS, "tests"),
        ];
        for (prefix, known, what) in unknown {
            let Some(name) = message
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix('`'))
            else {
                continue;
            };
            if let Some(hint) = crate::diagnostic::did_you_mean(name, known.iter().copied()) {
                d = d.label(format!("did you mean `{hint}`?"));
            }
            let mut names: Vec<&str> = known.to_vec();
            names.sort_unstable();
            d = d.help(format!("available {what}: {}", names.join(", ")));
        }
        out.push(d);
    }
    out
}

/// The error's causes, for messages such as a function's own error.
fn chain(err: &tera::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        match err.kind() {
            ErrorKind::SyntaxError(_) | ErrorKind::RenderingError(_) => String::new(),
            _ => err.to_string(),
        }
    } else {
        parts.join(": ")
    }
}
