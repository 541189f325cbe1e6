//! `<worksheet>/result/<key>/`: one page per result of a worksheet, with its own title,
//! description and card, the page people post ("I got Connector: take the worksheet").

use serde_json::json;

use super::Kind;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::bodies::result_path;
use crate::model::{Site, Target};
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path, social};

pub(super) struct Results;

impl Kind for Results {
    fn name(&self) -> &'static str {
        "results"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        (0..site.pages.len())
            .filter(|&p| site.pages[p].worksheet.is_some())
            .collect()
    }

    fn outputs(&self, site: &Site, p: usize) -> Vec<String> {
        let page = &site.pages[p];
        page.worksheet
            .iter()
            .flat_map(|w| &w.results)
            .map(|r| html_path(&result_path(&page.path, &r.key)))
            .collect()
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        p: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let count = view
            .page(p)
            .worksheet
            .as_ref()
            .map_or(0, |w| w.results.len());
        (0..count)
            .map(|r| render_result(renderer, view, p, r))
            .collect()
    }

    /// The worksheet page's own body (its worksheet is known before any body is deferred).
    fn bodies(&self, _site: &Site, p: usize) -> super::Bodies {
        super::Bodies::pages(vec![p])
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        let (owner, _) = site_path.split_once("result/")?;
        match site.target_at(owner) {
            Some(Target::Page(p)) => Some(p),
            _ => None,
        }
    }

    fn describe(&self, site: &Site, p: usize) -> String {
        format!(
            "a result page of the worksheet `{}`",
            site.pages[p].doc.source.shown.display()
        )
    }

    fn locate(&self, site: &Site, p: usize) -> Location {
        Location::file_only(&site.pages[p].doc.source.shown)
    }
}

/// Result `result` of worksheet page `page`.
fn render_result(
    renderer: &Renderer,
    view: &SiteView,
    page: usize,
    result: usize,
) -> Result<OutputFile, Diagnostic> {
    let owner = view.page(page);
    let Some(sheet) = &owner.worksheet else {
        return Err(Diagnostic::error(
            "internal: result page of a page without a worksheet",
        ));
    };
    let urls = &view.config().urls;
    let item = &sheet.results[result];
    let path = result_path(&owner.path, &item.key);
    let title = format!("{} — {}", item.title, owner.doc.front.title.0);
    let meta = meta_json(
        view,
        Meta {
            image: social::result_image(view, page, result),
            ..Meta::website(&title, &item.description, &path)
        },
    );
    let mut ctx = renderer.context(view, meta);
    // The landing page's call to action is the worksheet's first question, in the form's own
    // markup with the definition, so worksheet.js can save an answer given here.
    let teaser = sheet
        .teaser
        .as_ref()
        .map(|t| json!({ "fieldset": t.fieldset_html, "definition": t.definition_json }));
    ctx.insert(
        "worksheet",
        &json!({
            "id": sheet.id,
            "version": sheet.version,
            "title": owner.doc.front.title.0,
            "description": owner.doc.front.description,
            "url": urls.path(&owner.path),
            "questions": sheet.questions,
            "teaser": teaser,
        }),
    );
    ctx.insert(
        "result",
        &json!({ "key": item.key, "title": item.title, "body": item.body_html, "url": urls.path(&path) }),
    );
    let others: Vec<serde_json::Value> = sheet
        .results
        .iter()
        .filter(|r| r.key != item.key)
        .map(|r| {
            let other = result_path(&owner.path, &r.key);
            json!({ "key": r.key, "title": r.title, "description": r.description, "url": urls.path(&other) })
        })
        .collect();
    ctx.insert("others", &others);
    let html = renderer.templates.render("worksheet_result.html", &ctx)?;
    Ok(renderer.html_file(view, &path, html))
}
