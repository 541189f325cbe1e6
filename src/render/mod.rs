//! Stage 3: the model rendered to output files, in memory.
//!
//! Nothing here touches the output folder: the writer swaps the whole result in only when
//! every file rendered, so a failed build leaves the previous site as it was.

pub mod assets;
pub mod context;
pub mod feeds;
mod tags;
pub mod templates;
mod worksheets;

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::json;

use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::Site;
use crate::theme::ThemeFiles;
use assets::{Contents, OutputFile};
use context::{Contexts, Meta, meta_json};
use templates::Templates;

/// Everything needed to render pages of one site: compiled templates and shared contexts.
pub struct Renderer {
    pub templates: Templates,
    pub contexts: Contexts,
    pub asset_files: Vec<OutputFile>,
}

impl Renderer {
    pub fn new(site: &Site, theme: &ThemeFiles, preview: bool) -> Result<Self, Vec<Diagnostic>> {
        let highlight = &site.config.highlight;
        let syntax_css = crate::markdown::syntax_css(&highlight.light, &highlight.dark)
            .map_err(|e| vec![Diagnostic::error(e)])?;
        let (asset_files, manifest) = assets::process(&theme.statics, syntax_css);
        let templates =
            Templates::compile(&theme.templates, &site.config.urls, Arc::new(manifest))?;
        let contexts = context::build(site, preview);
        Ok(Renderer {
            templates,
            contexts,
            asset_files,
        })
    }

    pub(crate) fn context(&self, meta: serde_json::Value) -> tera::Context {
        let mut ctx = self.contexts.globals.clone();
        ctx.insert("meta", &meta);
        ctx
    }

    /// Renders one page (`/essays/foo/index.html`).
    pub fn render_page(&self, site: &Site, i: usize) -> Result<OutputFile, Diagnostic> {
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
                image: front.image.as_deref(),
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
        Ok(html_file(&page.path, html))
    }

    /// Renders one section, or the home page for section 0.
    pub fn render_section(&self, site: &Site, s: usize) -> Result<OutputFile, Diagnostic> {
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
                image: None,
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
                .into_iter()
                .take(10)
                .map(|p| self.contexts.cards[p].clone())
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
        Ok(html_file(&section.path, html))
    }

    pub fn render_404(&self, site: &Site) -> Result<OutputFile, Diagnostic> {
        let ctx = self.context(meta_json(
            site,
            Meta {
                title: "Page not found",
                description: "",
                path: "/404.html",
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: None,
            },
        ));
        let html = self.templates.render("404.html", &ctx)?;
        Ok(OutputFile {
            path: "404.html".into(),
            contents: Contents::Bytes(html.into_bytes()),
        })
    }

    pub fn render_alias(
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
                image: None,
            },
        ));
        ctx.insert("target", &site.config.urls.absolute(target_path));
        let html = self.templates.render("alias.html", &ctx)?;
        Ok(html_file(alias, html))
    }

    /// Every `template:` named in front matter must exist. Checked before rendering so these
    /// errors are reported together with all the others.
    pub fn check_templates(&self, site: &Site) -> Vec<Diagnostic> {
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
    fn pick_template<'a>(
        &self,
        chosen: Option<&'a str>,
        default: &'a str,
        source: &load::Source,
        yaml: &std::ops::Range<usize>,
    ) -> Result<&'a str, Diagnostic> {
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

/// `/essays/foo/` → `essays/foo/index.html`; `/old.html` stays a file.
pub(crate) fn html_file(site_path: &str, html: String) -> OutputFile {
    let trimmed = site_path.trim_start_matches('/');
    let path = if trimmed.ends_with(".html") {
        trimmed.to_string()
    } else {
        format!("{trimmed}index.html")
    };
    OutputFile {
        path,
        contents: Contents::Bytes(html.into_bytes()),
    }
}

/// Renders the whole site: every page, section, tag page, feed and extra file.
pub fn render_site(site: &Site, renderer: &Renderer) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let results: Vec<Result<OutputFile, Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| renderer.render_page(site, i))
        .chain(
            (0..site.sections.len())
                .into_par_iter()
                .map(|s| renderer.render_section(site, s)),
        )
        .chain(
            (0..site.tags.len())
                .into_par_iter()
                .map(|t| renderer.render_tag(site, t)),
        )
        .collect();
    let mut files = Vec::with_capacity(results.len() + 16);
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    let singles = [renderer.render_tag_index(site), renderer.render_404(site)];
    let aliases = site
        .aliases
        .iter()
        .map(|(alias, page)| renderer.render_alias(site, alias, *page));
    let results = site.pages.iter().enumerate().flat_map(|(p, page)| {
        let count = page.worksheet.as_ref().map_or(0, |w| w.results.len());
        (0..count).map(move |r| renderer.render_worksheet_result(site, p, r))
    });
    for result in singles.into_iter().chain(aliases).chain(results) {
        match result {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    files.extend(feeds::feeds(site));
    files.push(feeds::sitemap(site));
    files.push(text_file(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            site.config.urls.absolute("/sitemap.xml")
        ),
    ));
    files.push(text_file(".nojekyll", String::new()));
    files.extend(renderer.asset_files.iter().cloned());
    for file in &site.files {
        files.push(OutputFile {
            path: crate::model::content_file_path(&file.rel),
            contents: Contents::Copy(file.path.clone()),
        });
    }
    // The site's static/ files win over generated ones of the same name (a custom
    // robots.txt, say), as authors expect from every peer.
    let statics: std::collections::HashSet<&str> =
        site.statics.iter().map(|f| f.rel.as_str()).collect();
    files.retain(|f| !statics.contains(f.path.as_str()));
    for file in &site.statics {
        files.push(OutputFile {
            path: file.rel.clone(),
            contents: Contents::Copy(file.path.clone()),
        });
    }
    Ok(files)
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}
