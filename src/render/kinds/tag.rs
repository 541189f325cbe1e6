//! `/tags/<slug>/`: the pages with one tag.

use serde_json::json;

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json, tag_path};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path, social};

pub(super) struct Tag;

impl Kind for Tag {
    fn name(&self) -> &'static str {
        "tag"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.tags.len())
    }

    fn outputs(&self, site: &Site, t: usize) -> Vec<String> {
        vec![html_path(&tag_path(&site.tags[t].slug))]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        t: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let tag = view.tag(t);
        let site_title = &view.config().title;
        let path = tag_path(&tag.slug);
        let title = format!("Tagged “{}”", tag.name);
        let description = format!("Essays and pages tagged “{}” on {}.", tag.name, site_title);
        let meta = meta_json(
            view,
            Meta {
                title: &title,
                description: &description,
                path: &path,
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: social::Image::Default,
            },
        );
        let mut ctx = renderer.context(view, meta);
        let mut value = tera::Value::from_serializable(&tag_summary(view, t));
        if let Some(mut map) = value.as_map().cloned() {
            let pages: Vec<tera::Value> = tag
                .pages
                .iter()
                .map(|&p| renderer.contexts.card(view, p))
                .collect();
            map.insert("pages".into(), tera::Value::from(pages));
            value = tera::Value::from(map);
        }
        ctx.insert_value("tag", value);
        let html = renderer.templates.render("tag.html", &ctx)?;
        Ok(vec![renderer.html_file(view, &path, html)])
    }

    fn shows_cards(&self) -> bool {
        true
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        site.tags
            .iter()
            .position(|t| tag_path(&t.slug) == site_path)
    }

    fn describe(&self, site: &Site, t: usize) -> String {
        format!("the tag page of `{}`", site.tags[t].name)
    }

    fn locate(&self, site: &Site, t: usize) -> Location {
        tag_location(site, t)
    }
}

/// What the tag index and a tag page show of a tag.
pub(super) fn tag_summary(view: &SiteView, t: usize) -> serde_json::Value {
    let tag = view.tag(t);
    let urls = &view.config().urls;
    let path = tag_path(&tag.slug);
    json!({
        "name": tag.name,
        "slug": tag.slug,
        "url": urls.path(&path),
        "count": tag.pages.len(),
        "feed_url": urls.path(&format!("{path}rss.xml")),
    })
}

/// Where a tag is named: the `tags:` key of its first page.
pub(super) fn tag_location(site: &Site, t: usize) -> Location {
    match site.tags[t].pages.first() {
        Some(&p) => {
            let doc = &site.pages[p].doc;
            crate::load::locate_key(&doc.source, &doc.yaml, "tags")
        }
        None => Location::file_only("content"),
    }
}
