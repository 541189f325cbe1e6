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

    fn file(&self, content_path: &str) -> Option<SiteLink> {
        ["essays/pic.png", "img/chart.png", "essays/my pic.png"]
            .contains(&content_path)
            .then(|| SiteLink {
                url: format!("/guide/{}", content_path.replace(' ', "%20")),
                document: None,
                image: None,
            })
    }

    fn site_path(&self, site_path: &str) -> SitePath {
        let document = match site_path {
            "/" => Some("_index.md"),
            "/essays/" => Some("essays/_index.md"),
            "/essays/foo/" => Some("essays/foo.md"),
            "/about/" => Some("about.md"),
            "/images/a.png" | "/rss.xml" | "/tags/" => None,
            _ => {
                return match site_path.strip_prefix("/guide") {
                    Some(rest) if matches!(self.site_path(rest), SitePath::Found(_)) => {
                        SitePath::WithBasePath(rest.to_string())
                    }
                    _ => SitePath::Nothing {
                        did_you_mean: (site_path == "/essay/foo/")
                            .then(|| "/essays/foo/".to_string()),
                    },
                };
            }
        };
        SitePath::Found(SiteLink {
            url: format!("/guide{site_path}"),
            document: document.map(str::to_string),
            image: None,
        })
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
    let page_path = format!("/{page_dir}/a/").replace("//", "/");
    render(&MarkdownInput {
        file: Path::new("content/essays/a.md"),
        source: &source,
        body_offset: FRONT.len(),
        page_dir,
        page_path: &page_path,
        links: &Site,
        fences,
        components: &crate::markdown::NoComponents,
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
/// Each diagnostic as `message @ line:column`.
pub(super) fn located(rendered: &Rendered) -> Vec<String> {
    rendered
        .diagnostics
        .iter()
        .map(|d| match &d.location {
            Some(l) => format!("{} @ {}:{}", d.message, l.line, l.column),
            None => d.message.clone(),
        })
        .collect()
}

pub(super) fn messages(rendered: &Rendered) -> Vec<String> {
    rendered
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect()
}
