//! A section's pages, or the home page's for section 0 (which also lists the sections and the
//! worksheets, and whose list is the latest pages), split by `paginate_by`.

use serde_json::json;

use super::page::PAGE_CLASH_HELP;
use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::pagination::{Pagination, list_path_of, pager_number};
use crate::model::{NavHref, Site, Target};
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::paginate::{ListPage, first_page_redirect_file, list_outputs};
use crate::render::reads::SiteView;
use crate::render::{Renderer, social};

pub(super) struct Section;

impl Kind for Section {
    fn name(&self) -> &'static str {
        "section"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.sections.len())
    }

    fn outputs(&self, site: &Site, s: usize) -> Vec<String> {
        list_outputs(&site.sections[s].path, site.section_pagination(s))
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        s: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let section = view.section(s);
        // The home page's list is the latest pages; a section's, its own.
        let entries = if s == 0 { view.dated() } else { &section.pages };
        let list = Pagination {
            items: entries.len(),
            per_page: section.paginate_by,
        };
        let mut files = Vec::with_capacity(list.pages() + 1);
        for number in 1..=list.pages() {
            let page = ListPage {
                list_path: &section.path,
                list,
                number,
            };
            let shown = &entries[list.range(number)];
            files.push(render_page(renderer, view, s, &page, shown)?);
        }
        if list.is_split() {
            files.push(first_page_redirect_file(
                renderer,
                view,
                &section.path,
                &section.title,
            )?);
        }
        Ok(files)
    }

    fn shows_cards(&self) -> bool {
        true
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let list_path = list_path_of(site_path);
        match site.target_at(list_path) {
            Some(Target::Section(s)) => {
                pager_number(list_path, site.section_pagination(s).pages(), site_path).map(|_| s)
            }
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

/// Page `page.number` of section `s`'s list, `shown` being its entries.
fn render_page(
    renderer: &Renderer,
    view: &SiteView,
    s: usize,
    page: &ListPage,
    shown: &[usize],
) -> Result<OutputFile, Diagnostic> {
    let section = view.section(s);
    let config = view.config();
    let urls = &config.urls;
    let description = section
        .doc
        .as_ref()
        .map_or(config.description.as_str(), |d| {
            d.front.description.as_str()
        });
    let title = page.title(&section.title);
    let path = page.path();
    let meta = meta_json(
        view,
        Meta {
            title: &title,
            description,
            path: &path,
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
    let shown_cards = cards(&mut shown.iter().copied());
    // A section's `pages` are the entries of this page of its list; the home page's are its
    // own pages (its list, `latest`, is the site's newest).
    let pages = if s == 0 {
        cards(&mut section.pages.iter().copied())
    } else {
        shown_cards.clone()
    };
    let value = json!({
        "title": section.title,
        "description": description,
        "content": section.body.as_ref().map(|b| b.html.clone()).unwrap_or_default(),
        "url": urls.path(&section.path),
        "permalink": urls.absolute(&section.path),
        "count": if s == 0 { section.pages.len() } else { page.list.items },
        "extra": section.doc.as_ref().and_then(|d| d.front.extra.as_ref()).map_or_else(|| json!({}), crate::yaml::to_json),
    });
    let mut value = tera::Value::from_serializable(&value);
    if let Some(map) = value.as_map().cloned() {
        let mut map = map;
        map.insert("pages".into(), tera::Value::from(pages));
        value = tera::Value::from(map);
    }
    ctx.insert_value("section", value);
    ctx.insert_value("paginator", page.paginator(urls, shown_cards.clone()));
    let default = if s == 0 { "index.html" } else { "section.html" };
    if s == 0 {
        ctx.insert_value("latest", tera::Value::from(shown_cards));
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
    Ok(renderer.html_file(view, &path, html))
}
