//! `/tags/<slug>/`: the pages with one tag, split by `paginate_by`.

use serde_json::json;

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::model::pagination::{Pagination, list_path_of, pager_number};
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json, tag_path};
use crate::render::paginate::{ListPage, first_page_redirect_file, list_outputs};
use crate::render::reads::SiteView;
use crate::render::{Renderer, social};

pub(super) struct Tag;

impl Kind for Tag {
    fn name(&self) -> &'static str {
        "tag"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.tags.len())
    }

    fn outputs(&self, site: &Site, t: usize) -> Vec<String> {
        list_outputs(&tag_path(&site.tags[t].slug), site.tag_pagination(t))
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        t: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let tag = view.tag(t);
        let path = tag_path(&tag.slug);
        let title = format!("Tagged “{}”", tag.name);
        let list = Pagination {
            items: tag.pages.len(),
            per_page: view.config().paginate_by,
        };
        let mut files = Vec::with_capacity(list.pages() + 1);
        for number in 1..=list.pages() {
            let page = ListPage {
                list_path: &path,
                list,
                number,
            };
            files.push(render_page(renderer, view, t, &page, &title)?);
        }
        if list.is_split() {
            files.push(first_page_redirect_file(renderer, view, &path, &title)?);
        }
        Ok(files)
    }

    fn shows_cards(&self) -> bool {
        true
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let list_path = list_path_of(site_path);
        let t = site
            .tags
            .iter()
            .position(|t| tag_path(&t.slug) == list_path)?;
        pager_number(list_path, site.tag_pagination(t).pages(), site_path).map(|_| t)
    }

    fn describe(&self, site: &Site, t: usize) -> String {
        format!("the tag page of `{}`", site.tags[t].name)
    }

    fn locate(&self, site: &Site, t: usize) -> Location {
        tag_location(site, t)
    }
}

/// Page `page.number` of tag `t`'s list.
fn render_page(
    renderer: &Renderer,
    view: &SiteView,
    t: usize,
    page: &ListPage,
    list_title: &str,
) -> Result<OutputFile, Diagnostic> {
    let tag = view.tag(t);
    let site_title = &view.config().title;
    let title = page.title(list_title);
    let path = page.path();
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
    let shown: Vec<tera::Value> = tag.pages[page.list.range(page.number)]
        .iter()
        .map(|&p| renderer.contexts.card(view, p))
        .collect();
    let mut value = tera::Value::from_serializable(&tag_summary(view, t));
    if let Some(mut map) = value.as_map().cloned() {
        map.insert("pages".into(), tera::Value::from(shown.clone()));
        value = tera::Value::from(map);
    }
    ctx.insert_value("tag", value);
    ctx.insert_value("paginator", page.paginator(&view.config().urls, shown));
    let html = renderer.templates.render("tag.html", &ctx)?;
    Ok(renderer.html_file(view, &path, html))
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
