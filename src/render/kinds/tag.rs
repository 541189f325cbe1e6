//! `/tags/<slug>/`: the pages with one tag, split by `paginate_by`.

use serde_json::json;

use super::{Bodies, Kind};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::model::pagination::{Pagination, list_path_of, pager_number};
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::context::tag_path;
use crate::render::paginate::{
    ListPage, ListPart, cards, finish_list_page, list_context, list_outputs, render_list,
    with_fields,
};
use crate::render::reads::SiteView;

pub(super) struct Tag;

impl Kind for Tag {
    fn name(&self) -> &'static str {
        "tag"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        ListPart::instances(site.tags.len(), |t| site.tag_pagination(t))
    }

    fn outputs(&self, site: &Site, id: usize) -> Vec<String> {
        let part = ListPart::of(id);
        let t = part.list;
        list_outputs(&tag_path(&site.tags[t].slug), site.tag_pagination(t), part)
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let part = ListPart::of(id);
        let t = part.list;
        let tag = view.tag(t);
        let title = format!("Tagged “{}”", tag.name);
        let list = Pagination {
            items: tag.pages.len(),
            per_page: view.config().paginate_by,
        };
        let path = tag_path(&tag.slug);
        render_list(renderer, view, (&path, part), list, &title, |page| {
            render_page(renderer, view, t, page, &title)
        })
    }

    /// The cards this part shows.
    fn bodies(&self, site: &Site, id: usize) -> Bodies {
        let part = ListPart::of(id);
        let t = part.list;
        let pages = part.entries(&site.tags[t].pages, site.tag_pagination(t));
        Bodies::pages(pages.to_vec())
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
        pager_number(list_path, site.tag_pagination(t), site_path)
            .map(|number| ListPart::with_page(t, number).id())
    }

    fn describe(&self, site: &Site, id: usize) -> String {
        format!(
            "the tag page of `{}`",
            site.tags[ListPart::of(id).list].name
        )
    }

    fn locate(&self, site: &Site, id: usize) -> Location {
        tag_location(site, ListPart::of(id).list)
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
    let description = format!("Essays and pages tagged “{}” on {}.", tag.name, site_title);
    let mut ctx = list_context(renderer, view, page, list_title, &description);
    let shown = cards(renderer, view, &tag.pages[page.list.range(page.number)]);
    let value = with_fields(
        &tag_summary(view, t),
        vec![("pages", tera::Value::from(shown.clone()))],
    );
    ctx.insert_value("tag", value);
    finish_list_page(renderer, view, page, ctx, "tag.html", shown)
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
