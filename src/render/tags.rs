//! The tag index and one page per tag.

use serde_json::json;

use super::context::{Meta, meta_json, tag_path};
use super::{OutputFile, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::Site;

impl Renderer<'_> {
    /// `/tags/`: every tag with its count.
    pub(crate) fn render_tag_index(&self, site: &Site) -> Result<OutputFile, Diagnostic> {
        let mut ctx = self.context(meta_json(
            site,
            Meta {
                title: "Tags",
                description: "",
                path: "/tags/",
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: super::social::Image::Default,
            },
        ));
        let tags: Vec<serde_json::Value> =
            (0..site.tags.len()).map(|t| tag_summary(site, t)).collect();
        ctx.insert("tags", &tags);
        Ok(self.html_file("/tags/", self.templates.render("tags.html", &ctx)?))
    }

    /// `/tags/<slug>/`: the pages with one tag.
    pub(crate) fn render_tag(&self, site: &Site, t: usize) -> Result<OutputFile, Diagnostic> {
        let tag = &site.tags[t];
        let path = tag_path(&tag.slug);
        let title = format!("Tagged “{}”", tag.name);
        let description = format!(
            "Essays and pages tagged “{}” on {}.",
            tag.name, site.config.title
        );
        let mut ctx = self.context(meta_json(
            site,
            Meta {
                title: &title,
                description: &description,
                path: &path,
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: super::social::Image::Default,
            },
        ));
        let mut value = tera::Value::from_serializable(&tag_summary(site, t));
        if let Some(mut map) = value.as_map().cloned() {
            let pages: Vec<tera::Value> = tag
                .pages
                .iter()
                .map(|&p| self.contexts.cards[p].clone())
                .collect();
            map.insert("pages".into(), tera::Value::from(pages));
            value = tera::Value::from(map);
        }
        ctx.insert_value("tag", value);
        Ok(self.html_file(&path, self.templates.render("tag.html", &ctx)?))
    }
}

fn tag_summary(site: &Site, t: usize) -> serde_json::Value {
    let tag = &site.tags[t];
    let urls = &site.config.urls;
    let path = tag_path(&tag.slug);
    json!({
        "name": tag.name,
        "slug": tag.slug,
        "url": urls.path(&path),
        "count": tag.pages.len(),
        "feed_url": urls.path(&format!("{path}rss.xml")),
    })
}
