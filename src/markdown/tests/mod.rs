//! Behaviour tests for `render`, through the public API only, grouped by feature.

mod code;
mod colors;
mod contrast;
mod extensions;
mod headings;
mod links;
mod math;
mod math_errors;
mod robustness;
mod snapshot;
mod summary;

use std::path::Path;
use std::sync::Mutex;

use super::*;

/// Front matter in front of every test body, so locations are checked against file lines.
pub(super) const FRONT: &str = "---\ntitle: Test\n---\n";

/// The pages of a small test site.
pub(super) struct Site;

impl LinkResolver for Site {
    fn page_url(&self, content_path: &str) -> Option<String> {
        let url = match content_path {
            "_index.md" => "/guide/",
            "essays/_index.md" => "/guide/essays/",
            "essays/foo.md" => "/guide/essays/foo/",
            "essays/deep/bar.md" => "/guide/essays/deep/bar/",
            "guide/start.md" => "/guide/guide/start/",
            "about.md" => "/guide/about/",
            _ => return None,
        };
        Some(url.to_string())
    }
}

/// The default highlighting pair, as a site without a `highlight:` key has it.
pub(super) fn code_theme() -> std::sync::Arc<super::CodeTheme> {
    super::CodeTheme::configured(&crate::config::Highlight::default())
}

/// The default pair with a cache of its own, so no test sees blocks another highlighted.
pub(crate) fn highlighting() -> Highlighting<'static> {
    Highlighting {
        theme: Box::leak(Box::new(code_theme())),
        cache: Box::leak(Box::new(HighlightCache::in_memory())),
    }
}

/// Renders `body` as the page `content/essays/a.md`, with front matter before it.
pub(super) fn render_body(body: &str) -> Rendered {
    render_in("essays", body, &NoFences)
}

pub(super) fn render_in(page_dir: &str, body: &str, fences: &dyn FenceHandler) -> Rendered {
    let source = format!("{FRONT}{body}");
    render(&MarkdownInput {
        file: Path::new("content/essays/a.md"),
        source: &source,
        body_offset: FRONT.len(),
        page_dir,
        links: &Site,
        fences,
        highlighting: highlighting(),
    })
}

/// A fence handler that owns ```` ```worksheet ```` blocks and records every call.
#[derive(Default)]
pub(super) struct Recorder {
    pub(super) calls: Mutex<Vec<(String, String, usize)>>,
}

impl FenceHandler for Recorder {
    fn render(
        &self,
        info: &str,
        code: &str,
        code_offset: usize,
    ) -> Option<Result<String, Vec<Diagnostic>>> {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push((info.to_string(), code.to_string(), code_offset));
        }
        match info {
            "worksheet" => Some(Ok("<form class=\"worksheet\"></form>".to_string())),
            "broken" => Some(Err(vec![Diagnostic::error("bad question")])),
            _ => None,
        }
    }
}

/// Messages of the diagnostics, for compact assertions.
pub(super) fn messages(rendered: &Rendered) -> Vec<String> {
    rendered
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect()
}
