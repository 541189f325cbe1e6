//! `sitemap.xml`, written by hand: the format is a flat list of URLs, and the only thing to
//! get right is escaping (`context::escape`). It reads pages' front matter and URLs, not
//! their text, so editing an essay's text leaves it be.

use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::context::{escape, tag_path};
use crate::render::feeds::{updated_of, xml_file};
use crate::render::reads::SiteView;

pub(super) struct Sitemap;

impl Kind for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn instances(&self, _site: &Site) -> Vec<usize> {
        one()
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec!["sitemap.xml".into()]
    }

    fn render(
        &self,
        _renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        Ok(vec![sitemap(view)])
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the sitemap".into()
    }
}

/// Every page, section, tag and series page, the tag and series indexes, result pages and
/// the workbook, with
/// `lastmod` where a date is known.
fn sitemap(view: &SiteView) -> OutputFile {
    let urls = &view.config().urls;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for s in 0..view.sections() {
        let section = view.section(s);
        let newest = section
            .pages
            .iter()
            .filter_map(|&p| updated_of(view, p))
            .max();
        entries.push((urls.absolute(&section.path), newest.map(|d| d.to_rfc3339())));
    }
    let pages = view.pages();
    for i in 0..pages {
        let path = view.page_front(i).path;
        entries.push((
            urls.absolute(path),
            updated_of(view, i).map(|d| d.to_rfc3339()),
        ));
    }
    let mut worksheets = false;
    for i in 0..pages {
        let front = view.page_front(i);
        worksheets |= front.results.is_some();
        for result in front.results.into_iter().flatten() {
            let path = crate::model::bodies::result_path(front.path, &result.key);
            entries.push((urls.absolute(&path), None));
        }
    }
    if worksheets {
        entries.push((urls.absolute(super::workbook::PATH), None));
    }
    entries.push((urls.absolute("/tags/"), None));
    for t in 0..view.tags() {
        let (_, slug) = view.tag_ref(t);
        entries.push((urls.absolute(&tag_path(slug)), None));
    }
    let series = view.all_series();
    if series > 0 {
        entries.push((urls.absolute(crate::model::series::SERIES_INDEX), None));
    }
    for s in 0..series {
        let slug = &view.series(s).slug;
        entries.push((
            urls.absolute(&crate::model::series::series_path(slug)),
            None,
        ));
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape(&loc));
        xml.push_str("</loc>\n");
        if let Some(lastmod) = lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(&lastmod);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml_file("sitemap.xml", xml.into_bytes())
}
