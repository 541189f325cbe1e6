//! Stage 3: the model rendered to output files, in memory.
//!
//! Nothing here touches the output folder: the writer swaps the whole result in only when
//! every file rendered, so a failed build leaves the previous site as it was.

pub(crate) mod assets;
pub(crate) mod clashes;
pub(crate) mod context;
pub(crate) mod feeds;
mod jobs;
pub(crate) mod plan;
pub(crate) mod sitemap;
pub(crate) mod social;
mod tags;
pub(crate) mod templates;
mod worksheets;

use std::sync::Arc;

use serde_json::json;

use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::theme::ThemeFiles;
use context::{Contexts, Meta, meta_json};
pub(crate) use jobs::run_jobs;
use templates::Templates;

/// Where the preview server serves its live-reload script, below the base path.
pub(crate) const LIVE_SCRIPT: &str = "/__sheaf/live.js";

/// What stays the same while only content changes: compiled templates and theme assets.
pub(crate) struct Theme {
    pub templates: Templates,
    pub asset_files: Vec<OutputFile>,
}

impl Theme {
    pub(crate) fn compile(site: &Site, theme: &ThemeFiles) -> Result<Self, Vec<Diagnostic>> {
        let highlight = &site.config.highlight;
        let syntax_css = crate::markdown::syntax_css(&highlight.light, &highlight.dark)
            .map_err(|e| vec![Diagnostic::error(e)])?;
        let (asset_files, manifest) = assets::process(&theme.statics, syntax_css);
        let templates =
            Templates::compile(&theme.templates, &site.config.urls, Arc::new(manifest))?;
        Ok(Theme {
            templates,
            asset_files,
        })
    }
}

/// Everything needed to render pages of one site: the compiled theme and this build's
/// shared contexts.
pub(crate) struct Renderer<'a> {
    pub templates: &'a Templates,
    pub contexts: Contexts,
    pub asset_files: &'a [OutputFile],
    /// `<script>` tag put into every HTML page of a preview build.
    live_script: Option<String>,
    /// Where social cards rendered by earlier builds are kept (none: render every card).
    card_cache: Option<&'a crate::cards::CardCache>,
    feed_html: feeds::FeedHtml,
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
            feed_html: feeds::FeedHtml::new(site),
        }
    }

    /// Renders social cards through `cache`, reusing cards rendered by earlier builds.
    pub(crate) fn with_card_cache(mut self, cache: &'a crate::cards::CardCache) -> Self {
        self.card_cache = Some(cache);
        self
    }

    /// `/essays/foo/` → `essays/foo/index.html`; `/old.html` stays a file. Preview builds
    /// get the live-reload script before `</head>`.
    pub(crate) fn html_file(&self, site_path: &str, html: String) -> OutputFile {
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

    pub(crate) fn context(&self, meta: serde_json::Value) -> tera::Context {
        let mut ctx = self.contexts.globals.clone();
        ctx.insert("meta", &meta);
        ctx
    }

    /// Renders one page (`/essays/foo/index.html`).
    pub(crate) fn render_page(&self, site: &Site, i: usize) -> Result<OutputFile, Diagnostic> {
        let page = &site.pages[i];
        let front = &page.doc.front;
        let mut ctx = self.context(meta_json(
            site,
            Meta {
                title: &front.title.0,
                description: &front.description,
                path: &page.path,
                og_type: "article",
                published: front.date.map(|d| d.iso()).unwrap_or_default(),
                modified: front
                    .updated
                    .or(front.date)
                    .map(|d| d.iso())
                    .unwrap_or_default(),
                image: social::page_image(site, i),
            },
        ));
        ctx.insert_value("page", context::page_value(site, i));
        let template = self.pick_template(
            front.template.as_deref(),
            "page.html",
            &page.doc.source,
            &page.doc.yaml,
        )?;
        let html = self.templates.render(template, &ctx)?;
        Ok(self.html_file(&page.path, html))
    }

    /// Renders one section, or the home page for section 0.
    pub(crate) fn render_section(&self, site: &Site, s: usize) -> Result<OutputFile, Diagnostic> {
        let section = &site.sections[s];
        let urls = &site.config.urls;
        let description = section
            .doc
            .as_ref()
            .map_or(site.config.description.as_str(), |d| {
                d.front.description.as_str()
            });
        let mut ctx = self.context(meta_json(
            site,
            Meta {
                title: &section.title,
                description,
                path: &section.path,
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: social::Image::Default,
            },
        ));
        let pages: Vec<tera::Value> = section
            .pages
            .iter()
            .map(|&p| self.contexts.cards[p].clone())
            .collect();
        let value = json!({
            "title": section.title,
            "description": description,
            "content": section.body.as_ref().map(|b| b.html.clone()).unwrap_or_default(),
            "url": urls.path(&section.path),
            "permalink": urls.absolute(&section.path),
            "extra": section.doc.as_ref().and_then(|d| d.front.extra.as_ref()).map_or_else(|| json!({}), crate::yaml::to_json),
        });
        let mut value = tera::Value::from_serializable(&value);
        if let Some(map) = value.as_map().cloned() {
            let mut map = map;
            map.insert("pages".into(), tera::Value::from(pages));
            value = tera::Value::from(map);
        }
        ctx.insert_value("section", value);
        let default = if s == 0 { "index.html" } else { "section.html" };
        if s == 0 {
            let latest: Vec<tera::Value> = site
                .dated_pages()
                .iter()
                .take(10)
                .map(|&p| self.contexts.cards[p].clone())
                .collect();
            ctx.insert_value("latest", tera::Value::from(latest));
            let sections: Vec<serde_json::Value> = section
                .subsections
                .iter()
                .map(|&c| {
                    let child = &site.sections[c];
                    json!({
                        "title": child.title,
                        "description": child.doc.as_ref().map(|d| d.front.description.clone()).unwrap_or_default(),
                        "url": urls.path(&child.path),
                        "count": child.pages.len(),
                    })
                })
                .collect();
            ctx.insert("sections", &sections);
            ctx.insert_value("worksheets", tera::Value::from(self.worksheet_cards(site)));
        }
        let template = match &section.doc {
            Some(doc) => self.pick_template(
                doc.front.template.as_deref(),
                default,
                &doc.source,
                &doc.yaml,
            )?,
            None => default,
        };
        let html = self.templates.render(template, &ctx)?;
        Ok(self.html_file(&section.path, html))
    }

    pub(crate) fn render_404(&self, site: &Site) -> Result<OutputFile, Diagnostic> {
        let ctx = self.context(meta_json(
            site,
            Meta {
                title: "Page not found",
                description: "",
                path: "/404.html",
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: social::Image::Default,
            },
        ));
        let html = self.templates.render("404.html", &ctx)?;
        Ok(self.html_file("/404.html", html))
    }

    pub(crate) fn render_alias(
        &self,
        site: &Site,
        alias: &str,
        page: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let target_path = &site.pages[page].path;
        let mut ctx = self.context(meta_json(
            site,
            Meta {
                title: &site.pages[page].doc.front.title.0,
                description: "",
                path: target_path,
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: social::Image::Default,
            },
        ));
        ctx.insert("target", &site.config.urls.absolute(target_path));
        let html = self.templates.render("alias.html", &ctx)?;
        Ok(self.html_file(alias, html))
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
    fn pick_template<'n>(
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

/// The output file of a site path: `/essays/foo/` → `essays/foo/index.html`; `/old.html`
/// stays a file.
pub fn html_path(site_path: &str) -> String {
    let trimmed = site_path.trim_start_matches('/');
    if trimmed.ends_with(".html") {
        trimmed.to_string()
    } else {
        format!("{trimmed}index.html")
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
