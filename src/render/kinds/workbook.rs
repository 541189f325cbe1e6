//! `/workbook/`: every worksheet of the site on one page, with the reader's progress and
//! result read from local storage by `workbook.js`, and export/import of all answers
//! (DESIGN §10). Made only when the site has a worksheet; nothing links to it otherwise.
//!
//! It reads each worksheet through [`SiteView::worksheet`] (id, version, structure hash,
//! question count, results, title, URL and section, not the prose), so editing a
//! worksheet's questions re-renders it and editing an essay does not.
//!
//! An author's page or section at `/workbook/` is a located error at that file, as for
//! `/tags/`: the worksheet pages link here, and a page of the same URL would silently take
//! the place of the one they mean.

use serde_json::json;

use super::{Kind, one};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::model::bodies::result_path;
use crate::output::OutputFile;
use crate::render::context::{Meta, meta_json};
use crate::render::reads::SiteView;
use crate::render::{Renderer, html_path};

/// The workbook's site path.
pub(super) const PATH: &str = "/workbook/";

pub(super) struct Workbook;

/// Whether the site makes a workbook page: it has a worksheet.
pub(super) fn has_workbook(site: &Site) -> bool {
    site.pages.iter().any(|p| p.worksheet.is_some())
}

impl Kind for Workbook {
    fn name(&self) -> &'static str {
        "workbook"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        if has_workbook(site) {
            one()
        } else {
            Vec::new()
        }
    }

    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec![html_path(PATH)]
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let urls = &view.config().urls;
        // Every worksheet page, in the order the home page lists them.
        let pages: Vec<usize> = view.pages_in_section_order().collect();
        let mut listed = Vec::new();
        let mut script = Vec::new();
        for p in pages {
            let Some(sheet) = view.worksheet(p) else {
                continue;
            };
            let w = sheet.worksheet;
            let url = urls.path(sheet.path);
            let section = (sheet.section != 0).then(|| {
                let (title, path) = view.section_ref(sheet.section);
                json!({ "title": title, "url": urls.path(path) })
            });
            let results: Vec<serde_json::Value> = w
                .results
                .iter()
                .map(|r| {
                    let path = result_path(sheet.path, &r.key);
                    json!({ "key": r.key, "title": r.title, "url": urls.path(&path) })
                })
                .collect();
            listed.push(json!({
                "id": w.id,
                "title": sheet.title,
                "description": sheet.description,
                "url": url,
                "questions": w.questions,
                "section": section,
            }));
            script.push(json!({
                "id": w.id,
                "v": w.version,
                "r": w.hash,
                "url": url,
                "title": sheet.title,
                "results": results,
            }));
        }
        let meta = meta_json(
            view,
            Meta::website(
                "Your workbook",
                "Every worksheet of this site with your answers, saved in this browser: progress, results, and your answers to take to another device.",
                PATH,
            ),
        );
        let mut ctx = renderer.context(view, meta);
        ctx.insert("worksheets", &listed);
        // Safe inside `<script>`: every `<` is written `\u003c` (as the worksheet definition).
        let data = serde_json::to_string(&json!({ "worksheets": script }))
            .unwrap_or_else(|_| "{}".into())
            .replace('<', "\\u003c");
        ctx.insert("workbook_json", &data);
        let html = renderer.templates.render("workbook.html", &ctx)?;
        Ok(vec![renderer.html_file(view, PATH, html)])
    }

    fn at_path(&self, site: &Site, site_path: &str) -> Option<usize> {
        (site_path == PATH && has_workbook(site)).then_some(0)
    }

    fn describe(&self, _site: &Site, _id: usize) -> String {
        "the workbook page sheaf makes for the site's worksheets".into()
    }
}
