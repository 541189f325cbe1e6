//! `sitemap.xml`, written by hand: the format is a flat list of URLs, and the only thing to
//! get right is escaping (`context::escape`).

use super::context::tag_path;
use super::feeds::{updated_of, xml_file};
use crate::model::Site;
use crate::output::OutputFile;

/// `sitemap.xml`: every page, section and tag page, with `lastmod` where a date is known.
pub(crate) fn sitemap(site: &Site) -> OutputFile {
    let urls = &site.config.urls;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for s in &site.sections {
        let newest = s.pages.iter().filter_map(|&p| updated_of(site, p)).max();
        entries.push((urls.absolute(&s.path), newest.map(|d| d.to_rfc3339())));
    }
    for (i, p) in site.pages.iter().enumerate() {
        entries.push((
            urls.absolute(&p.path),
            updated_of(site, i).map(|d| d.to_rfc3339()),
        ));
    }
    for page in &site.pages {
        for result in page.worksheet.iter().flat_map(|w| &w.results) {
            let path = crate::model::bodies::result_path(&page.path, &result.key);
            entries.push((urls.absolute(&path), None));
        }
    }
    entries.push((urls.absolute("/tags/"), None));
    for tag in &site.tags {
        entries.push((urls.absolute(&tag_path(&tag.slug)), None));
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&super::context::escape(&loc));
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
