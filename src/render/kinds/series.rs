//! `/series/<slug>/`: one series' parts in order, as page cards, split by `paginate_by`.

use serde_json::json;

use super::{Kind, each};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::model::pagination::{Pagination, list_path_of, pager_number};
use crate::model::series::series_path;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::paginate::{ListPage, first_page_redirect_file, list_outputs};
use crate::render::reads::SiteView;
use crate::render::{Renderer, social};

pub(super) struct Series;

impl Kind for Series {
    fn name(&self) -> &'static str {
        "series"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        each(site.series.len())
    }

    fn outputs(&self, site: &Site, s: usize) -> Vec<String> {
        list_outputs(
            &series_path(&site.series[s].slug),
            site.series_pagination(s),
        )
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        s: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let series = view.series(s);
        let path = series_path(&series.slug);
        let list = Pagination {
            items: series.pages.len(),
            per_page: view.config().paginate_by,
        };
        let mut files = Vec::with_capacity(list.pages() + 1);
        for number in 1..=list.pages() {
            let page = ListPage {
                list_path: &path,
                list,
                number,
            };
            files.push(render_page(renderer, view, s, &page)?);
        }
        if list.is_split() {
            files.push(first_page_redirect_file(
                renderer,
                view,
                &path,
                &series.name,
            )?);
        }
        Ok(files)
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
        pager_number(list_path, site.series_pagination(s).pages(), site_path).map(|_| s)
    }

    fn describe(&self, site: &Site, s: usize) -> String {
        format!("the page of the series `{}`", site.series[s].name)
    }

    fn locate(&self, site: &Site, s: usize) -> Location {
        series_location(site, s)
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
    let title = page.title(&series.name);
    let path = page.path();
    let description = format!(
        "The {} parts of “{}” on {}, in order.",
        series.pages.len(),
        series.name,
        view.config().title
    );
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
    let range = page.list.range(page.number);
    let first = range.start + 1;
    let shown: Vec<tera::Value> = series.pages[range]
        .iter()
        .map(|&p| renderer.contexts.card(view, p))
        .collect();
    let mut value = tera::Value::from_serializable(&series_summary(view, s));
    if let Some(mut map) = value.as_map().cloned() {
        map.insert("pages".into(), tera::Value::from(shown.clone()));
        map.insert("first_part".into(), tera::Value::from(first));
        value = tera::Value::from(map);
    }
    ctx.insert_value("series", value);
    ctx.insert_value("paginator", page.paginator(&view.config().urls, shown));
    let html = renderer.templates.render("series.html", &ctx)?;
    Ok(renderer.html_file(view, &path, html))
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
