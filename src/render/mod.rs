//! Stage 3: the model rendered to output files, in memory.
//!
//! Nothing here touches the output folder: the writer swaps the whole result in only when
//! every file rendered, so a failed build leaves the previous site as it was.

pub(crate) mod assets;
pub(crate) mod clashes;
pub(crate) mod context;
pub(crate) mod feeds;
pub use crate::output::html_path;
mod kinds;
mod minify;
mod pager;
pub(crate) mod paginate;
pub(crate) mod plan;
mod premade_scripts;
pub(crate) mod reads;
pub(crate) mod redirect;
pub(crate) mod social;
pub(crate) mod templates;

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::theme::ThemeFiles;
use context::Contexts;
pub(crate) use plan::run_jobs;
use reads::SiteView;
use templates::Templates;

/// Where the preview server serves its live-reload script, below the base path.
pub(crate) const LIVE_SCRIPT: &str = "/__sheaf/live.js";

/// What stays the same while only content changes: compiled templates and theme assets.
pub(crate) struct Theme {
    pub templates: Templates,
    pub asset_files: Vec<OutputFile>,
}

impl Theme {
    /// Needs only the config's highlight themes and URLs, not the site: a build compiles
    /// it while the site's bodies render.
    pub(crate) fn compile(
        highlight: &crate::config::Highlight,
        urls: &crate::urls::Urls,
        theme: &ThemeFiles,
    ) -> Result<Self, Vec<Diagnostic>> {
        let syntax_css = crate::markdown::syntax_css(&highlight.light, &highlight.dark)
            .map_err(|e| vec![Diagnostic::error(e)])?;
        let (asset_files, manifest) = assets::process(&theme.statics, syntax_css);
        let templates = Templates::compile(&theme.templates, urls, Arc::new(manifest))?;
        Ok(Theme {
            templates,
            asset_files,
        })
    }
}

/// Everything needed to render pages of one site: the compiled theme and this build's
/// shared contexts. It holds no `Site`: jobs read the site through a `reads::SiteView`.
pub(crate) struct Renderer<'a> {
    pub templates: &'a Templates,
    pub contexts: Contexts,
    pub asset_files: &'a [OutputFile],
    /// `<script>` tag put into every HTML page of a preview build.
    live_script: Option<String>,
    /// Where social cards rendered by earlier builds are kept (none: render every card).
    card_cache: Option<&'a crate::cards::CardCache>,
    /// Where resized pictures made by earlier builds are kept (none: make every one).
    pub image_cache: Option<&'a crate::images::ImageCache>,
    /// Each page's feed HTML and RSS item, made once per build (`feeds`).
    feed_html: feeds::FeedHtml,
    /// Whether text files are packed as they are rendered (`OutputFile::pack`): the live
    /// preview keeps every file of the site in memory, a build writes them out at once. Set
    /// for a preview run with many files (its first); the files of a smaller one are
    /// packed after it is answered (`Session::pack_files`).
    pub pack_outputs: bool,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(site: &Site, theme: &'a Theme, contexts: Contexts, preview: bool) -> Self {
        let live_script = preview.then(|| {
            format!(
                "<script src=\"{}\" defer></script>",
                site.config.urls.path(LIVE_SCRIPT)
            )
        });
        Renderer {
            templates: &theme.templates,
            contexts,
            asset_files: &theme.asset_files,
            live_script,
            card_cache: None,
            image_cache: None,
            feed_html: feeds::FeedHtml::new(site),
            pack_outputs: false,
        }
    }

    /// Renders social cards through `cache`, reusing cards rendered by earlier builds.
    pub(crate) fn with_card_cache(mut self, cache: &'a crate::cards::CardCache) -> Self {
        self.card_cache = Some(cache);
        self
    }

    /// Makes resized pictures through `cache`, reusing those made by earlier builds.
    pub(crate) fn with_image_cache(mut self, cache: &'a crate::images::ImageCache) -> Self {
        self.image_cache = Some(cache);
        self
    }

    /// `/essays/foo/` → `essays/foo/index.html`; `/old.html` stays a file. Preview builds
    /// get the live-reload script before `</head>` (which depends on the config and the
    /// build flags: recorded as the global part, as every template's context is).
    pub(crate) fn html_file(&self, view: &SiteView, site_path: &str, html: String) -> OutputFile {
        view.global();
        let path = html_path(site_path);
        let html = match &self.live_script {
            Some(tag) => inject_before_head_end(html, tag),
            None => html,
        };
        OutputFile {
            path,
            contents: Contents::Bytes(html.into()),
        }
    }

    /// A template context: the site-wide values (recorded as read: every template sees
    /// them) and the output's `meta`.
    pub(crate) fn context(&self, view: &SiteView, meta: serde_json::Value) -> tera::Context {
        view.global();
        let mut ctx = self.contexts.globals.clone();
        ctx.insert("meta", &meta);
        ctx
    }

    /// Every `template:` named in front matter must exist. Checked before rendering so these
    /// errors are reported together with all the others.
    pub(crate) fn check_templates(&self, site: &Site) -> Vec<Diagnostic> {
        let pages = site
            .pages
            .iter()
            .map(|p| (&p.doc.front.template, &p.doc.source, &p.doc.yaml));
        let sections = site
            .sections
            .iter()
            .filter_map(|s| s.doc.as_ref())
            .map(|d| (&d.front.template, &d.source, &d.yaml));
        pages
            .chain(sections)
            .filter_map(|(template, source, yaml)| {
                self.pick_template(template.as_deref(), "page.html", source, yaml)
                    .err()
            })
            .collect()
    }

    /// A page's own `template:` must exist; the error points at the key.
    pub(crate) fn pick_template<'n>(
        &self,
        chosen: Option<&'n str>,
        default: &'n str,
        source: &load::Source,
        yaml: &std::ops::Range<usize>,
    ) -> Result<&'n str, Diagnostic> {
        match chosen {
            None => Ok(default),
            Some(name) if self.templates.has(name) => Ok(name),
            Some(name) => Err(
                Diagnostic::error(format!("template `{name}` does not exist"))
                    .at(load::locate_key(source, yaml, "template"))
                    .help("add it under templates/ in the site, or remove the `template:` key"),
            ),
        }
    }
}

/// Puts `tag` before the first `</head>` (any case); pages without one get it at the end.
/// The tag is a plain `<script src>` so pages with a strict CSP still work.
pub(crate) fn inject_before_head_end(html: String, tag: &str) -> String {
    let at = html
        .as_bytes()
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + tag.len());
    out.push_str(&html[..at]);
    out.push_str(tag);
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn injects_before_head_end() {
        let out = super::inject_before_head_end("<html><HEAD></HEAD><body>".into(), "<s>");
        assert_eq!(out, "<html><HEAD><s></HEAD><body>");
    }
}
