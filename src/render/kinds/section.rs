//! A section page, or the home page for section 0 (which also lists the latest pages, the
//! sections and the worksheets).

use serde_json::json;

use super::page::PAGE_CLASH_HELP;
use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{NavHref, Site, Target};
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path, social};

pub(super) struct Section;

impl Kind for Section {
    fn name(&self) -> &'static str {
        "section"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.sections.len())
    }

    fn outputs(&self, site: &Site, s: usize) -> Vec<String> {
        vec![html_path(&site.sections[s].path)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        s: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let section = view.section(s);
        let config = view.config();
        let urls = &config.urls;
        let description = section
            .doc
            .as_ref()
            .map_or(config.description.as_str(), |d| {
                d.front.description.as_str()
            });
        let meta = meta_json(
            view,
            Meta {
                title: &section.title,
                description,
                path: &section.path,
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: social::Image::Default,
            },
        );
        let mut ctx = renderer.context(view, meta);
        let cards = |pages: &mut dyn Iterator<Item = usize>| -> Vec<tera::Value> {
            pages.map(|p| renderer.contexts.card(view, p)).collect()
        };
        let pages = cards(&mut section.pages.iter().copied());
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
            let latest = cards(&mut view.dated().iter().copied().take(10));
            ctx.insert_value("latest", tera::Value::from(latest));
            let sections: Vec<serde_json::Value> = section
                .subsections
                .iter()
                .map(|&c| {
                    let child = view.section(c);
                    json!({
                        "title": child.title,
                        "description": child.doc.as_ref().map(|d| d.front.description.clone()).unwrap_or_default(),
                        "url": urls.path(&child.path),
                        "count": child.pages.len(),
                        // The home page lists what the navigation does not already.
                        "in_nav": view.nav().iter().any(|link| link.href == NavHref::Site(child.path.clone())),
                    })
                })
                .collect();
            let more_sections: Vec<&serde_json::Value> =
                sections.iter().filter(|s| s["in_nav"] == false).collect();
            ctx.insert("more_sections", &more_sections);
            ctx.insert("sections", &sections);
            // Every worksheet page, in section and section-order.
            let mut worksheets = view
                .pages_in_section_order()
                .filter(|&p| view.page_front(p).results.is_some());
            let worksheets = cards(&mut worksheets);
            ctx.insert_value("worksheets", tera::Value::from(worksheets));
        }
        let template = match &section.doc {
            Some(doc) => renderer.pick_template(
                doc.front.template.as_deref(),
                default,
                &doc.source,
                &doc.yaml,
            )?,
            None => default,
        };
        let html = renderer.templates.render(template, &ctx)?;
        Ok(vec![renderer.html_file(view, &section.path, html)])
    }

    fn shows_cards(&self) -> bool {
        true
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        match site.target_at(site_path) {
            Some(Target::Section(s)) => Some(s),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        1
    }

    fn describe(&self, site: &Site, s: usize) -> String {
        match s {
            0 => "the home page".into(),
            s => format!("the section page `{}`", site.sections[s].path),
        }
    }

    fn locate(&self, site: &Site, s: usize) -> Location {
        match &site.sections[s].doc {
            Some(doc) => Location::file_only(&doc.source.shown),
            None => Location::file_only("content"),
        }
    }

    fn clash_help(&self) -> &'static str {
        PAGE_CLASH_HELP
    }
}
