//! A page: `/essays/foo/index.html`.

use super::{Bodies, Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Site, Target};
use crate::output::OutputFile;
use crate::render::context::{self, Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path, social};

pub(super) struct Page;

impl Kind for Page {
    fn name(&self) -> &'static str {
        "page"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.pages.len())
    }

    fn outputs(&self, site: &Site, i: usize) -> Vec<String> {
        vec![html_path(&site.pages[i].path)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        i: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let page = view.page(i);
        let front = &page.doc.front;
        let meta = meta_json(
            view,
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
                image: social::page_image(view, i),
            },
        );
        let mut ctx = renderer.context(view, meta);
        ctx.insert_value("page", with_related(renderer, view, i));
        let template = renderer.pick_template(
            front.template.as_deref(),
            "page.html",
            &page.doc.source,
            &page.doc.yaml,
        )?;
        let html = renderer.templates.render(template, &ctx)?;
        Ok(vec![renderer.html_file(view, &page.path, html)])
    }

    /// Its own body: prev/next, tags and its section are the model's.
    /// Its own body, and those of its related reading, whose cards show summaries.
    fn bodies(&self, site: &Site, i: usize) -> Bodies {
        let mut pages = vec![i];
        pages.extend_from_slice(site.related(i));
        Bodies::pages(pages)
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        match site.target_at(site_path) {
            Some(Target::Page(i)) => Some(i),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        1
    }

    fn describe(&self, site: &Site, i: usize) -> String {
        format!("the page `{}`", site.pages[i].doc.source.shown.display())
    }

    fn locate(&self, site: &Site, i: usize) -> Location {
        Location::file_only(&site.pages[i].doc.source.shown)
    }

    fn clash_help(&self) -> &'static str {
        PAGE_CLASH_HELP
    }
}

/// Page `i`'s context with `related`: the cards of its related reading, best first.
fn with_related(renderer: &Renderer, view: &SiteView, i: usize) -> tera::Value {
    let value = context::page_value(view, i);
    let related: Vec<tera::Value> = view
        .related(i)
        .iter()
        .map(|&p| renderer.contexts.shown_card(view, p))
        .collect();
    match value.as_map() {
        Some(map) => {
            let mut map = map.clone();
            map.insert("related".into(), tera::Value::from(related));
            tera::Value::from(map)
        }
        None => value,
    }
}

/// What to do when a page's URL is taken.
pub(super) const PAGE_CLASH_HELP: &str = "give the page another `slug:` or move it to another folder: this URL belongs to a page sheaf makes";
