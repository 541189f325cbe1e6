//! A section's pages, or the home page's for section 0 (which also lists the sections and the
//! worksheets, and whose list is the latest pages), split by `paginate_by`.

use serde_json::json;

use super::page::PAGE_CLASH_HELP;
use super::{Bodies, Kind};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::pagination::{Pagination, list_path_of, pager_number};
use crate::model::{NavHref, Site, Target};
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::paginate::{
    ListPage, ListPart, cards, finish_list_page, list_context, list_outputs, render_list,
    with_fields,
};
use crate::render::reads::SiteView;

pub(super) struct Section;

impl Kind for Section {
    fn name(&self) -> &'static str {
        "section"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        ListPart::instances(site.sections.len(), |s| site.section_pagination(s))
    }

    fn outputs(&self, site: &Site, id: usize) -> Vec<String> {
        let part = ListPart::of(id);
        let s = part.list;
        list_outputs(&site.sections[s].path, site.section_pagination(s), part)
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let part = ListPart::of(id);
        let s = part.list;
        let section = view.section(s);
        // The home page's list is the latest pages; a section's, its own.
        let entries = if s == 0 { view.dated() } else { &section.pages };
        let list = Pagination {
            items: entries.len(),
            per_page: section.paginate_by,
        };
        // Every worksheet page, in section order: found once for the whole run (each page of
        // the home list looking through the site made 50,000 pages quadratic).
        let worksheets: &[usize] = if s == 0 { view.worksheet_pages() } else { &[] };
        render_list(
            renderer,
            view,
            (&section.path, part),
            list,
            &section.title,
            |page| {
                let shown = &entries[list.range(page.number)];
                render_page(renderer, view, s, page, shown, worksheets)
            },
        )
    }

    /// The cards this part shows (on the home page also its own pages', which every page
    /// of its list shows) and the section's own text.
    fn bodies(&self, site: &Site, id: usize) -> Bodies {
        let part = ListPart::of(id);
        let s = part.list;
        let section = &site.sections[s];
        let entries = if s == 0 {
            site.dated_pages()
        } else {
            &section.pages
        };
        let mut pages = part.entries(entries, site.section_pagination(s)).to_vec();
        if s == 0 {
            pages.extend_from_slice(&section.pages);
        }
        Bodies::Some {
            pages,
            sections: vec![s],
        }
    }

    fn shows_cards(&self) -> bool {
        true
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let list_path = list_path_of(site_path);
        match site.target_at(list_path) {
            Some(Target::Section(s)) => {
                pager_number(list_path, site.section_pagination(s), site_path)
                    .map(|number| ListPart::with_page(s, number).id())
            }
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        1
    }

    fn describe(&self, site: &Site, id: usize) -> String {
        match ListPart::of(id).list {
            0 => "the home page".into(),
            s => format!("the section page `{}`", site.sections[s].path),
        }
    }

    fn locate(&self, site: &Site, id: usize) -> Location {
        match &site.sections[ListPart::of(id).list].doc {
            Some(doc) => Location::file_only(&doc.source.shown),
            None => Location::file_only("content"),
        }
    }

    fn clash_help(&self) -> &'static str {
        PAGE_CLASH_HELP
    }
}

/// Page `page.number` of section `s`'s list, `shown` being its entries (and, on the home
/// page, `worksheets` every worksheet page).
fn render_page(
    renderer: &Renderer,
    view: &SiteView,
    s: usize,
    page: &ListPage,
    shown: &[usize],
    worksheets: &[usize],
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
    let mut ctx = list_context(renderer, view, page, &section.title, description);
    let shown_cards = cards(renderer, view, shown);
    // A section's `pages` are the entries of this page of its list; the home page's are its
    // own pages (its list, `latest`, is the site's newest).
    let pages = if s == 0 {
        cards(renderer, view, &section.pages)
    } else {
        shown_cards.clone()
    };
    let value = json!({
        "title": section.title,
        "description": description,
        "content": section.body.as_ref().map(|b| b.html.as_str().into_owned()).unwrap_or_default(),
        "url": urls.path(&section.path),
        "permalink": urls.absolute(&section.path),
        "count": if s == 0 { section.pages.len() } else { page.list.items },
        "extra": section.doc.as_ref().and_then(|d| d.front.extra.as_ref()).map_or_else(|| json!({}), crate::yaml::to_json),
    });
    ctx.insert_value(
        "section",
        with_fields(&value, vec![("pages", tera::Value::from(pages))]),
    );
    let default = if s == 0 { "index.html" } else { "section.html" };
    if s == 0 {
        ctx.insert_value("latest", tera::Value::from(shown_cards.clone()));
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
        let worksheets = cards(renderer, view, worksheets);
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
    finish_list_page(renderer, view, page, ctx, template, shown_cards)
}
