//! `/series/<slug>/`: one series' parts in order, as page cards, split by `paginate_by`.

use serde_json::json;

use super::{Bodies, Kind};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::model::pagination::{Pagination, list_path_of, pager_number};
use crate::model::series::series_path;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::render::paginate::{
    ListPage, ListPart, cards, finish_list_page, list_context, list_outputs, render_list,
    with_fields,
};
use crate::render::reads::SiteView;

pub(super) struct Series;

impl Kind for Series {
    fn name(&self) -> &'static str {
        "series"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        ListPart::instances(site.series.len(), |s| site.series_pagination(s))
    }

    fn outputs(&self, site: &Site, id: usize) -> Vec<String> {
        let part = ListPart::of(id);
        let s = part.list;
        list_outputs(
            &series_path(&site.series[s].slug),
            site.series_pagination(s),
            part,
        )
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let part = ListPart::of(id);
        let s = part.list;
        let series = view.series(s);
        let list = Pagination {
            items: series.pages.len(),
            per_page: view.config().paginate_by,
        };
        let path = series_path(&series.slug);
        render_list(renderer, view, (&path, part), list, &series.name, |page| {
            render_page(renderer, view, s, page)
        })
    }

    /// The cards this part shows.
    fn bodies(&self, site: &Site, id: usize) -> Bodies {
        let part = ListPart::of(id);
        let s = part.list;
        let pages = part.entries(&site.series[s].pages, site.series_pagination(s));
        Bodies::pages(pages.to_vec())
    }

    fn shows_cards(&self) -> bool {
        true
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let list_path = list_path_of(site_path);
        let s = site
            .series
            .iter()
            .position(|s| series_path(&s.slug) == list_path)?;
        pager_number(list_path, site.series_pagination(s), site_path)
            .map(|number| ListPart::with_page(s, number).id())
    }

    fn describe(&self, site: &Site, id: usize) -> String {
        let s = ListPart::of(id).list;
        format!("the page of the series `{}`", site.series[s].name)
    }

    fn locate(&self, site: &Site, id: usize) -> Location {
        series_location(site, ListPart::of(id).list)
    }
}

/// Page `page.number` of series `s`'s index.
fn render_page(
    renderer: &Renderer,
    view: &SiteView,
    s: usize,
    page: &ListPage,
) -> Result<OutputFile, Diagnostic> {
    let series = view.series(s);
    let description = format!(
        "The {} parts of “{}” on {}, in order.",
        series.pages.len(),
        series.name,
        view.config().title
    );
    let mut ctx = list_context(renderer, view, page, &series.name, &description);
    let range = page.list.range(page.number);
    let first_part = range.start + 1;
    let shown = cards(renderer, view, &series.pages[range]);
    let value = with_fields(
        &series_summary(view, s),
        vec![
            ("pages", tera::Value::from(shown.clone())),
            ("first_part", tera::Value::from(first_part)),
        ],
    );
    ctx.insert_value("series", value);
    finish_list_page(renderer, view, page, ctx, "series.html", shown)
}

/// What the series list and a series page show of a series.
pub(super) fn series_summary(view: &SiteView, s: usize) -> serde_json::Value {
    let series = view.series(s);
    let urls = &view.config().urls;
    let path = series_path(&series.slug);
    json!({
        "name": series.name,
        "slug": series.slug,
        "url": urls.path(&path),
        "count": series.pages.len(),
        "feed_url": urls.path(&format!("{path}rss.xml")),
    })
}

/// Where a series is named: the `series:` key of its first part.
pub(super) fn series_location(site: &Site, s: usize) -> Location {
    match site.series[s].pages.first() {
        Some(&p) => {
            let doc = &site.pages[p].doc;
            crate::load::locate_key(&doc.source, &doc.yaml, "series")
        }
        None => Location::file_only("content"),
    }
}
