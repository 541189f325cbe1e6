//! Worksheet lists and the static page of each worksheet result.

use serde_json::json;

use super::context::{Meta, meta_json};
use super::{OutputFile, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::Site;

impl Renderer<'_> {
    /// Cards of every worksheet page, in section and section-order.
    pub(super) fn worksheet_cards(&self, site: &Site) -> Vec<tera::Value> {
        site.sections
            .iter()
            .flat_map(|s| s.pages.iter().copied())
            .filter(|&p| site.pages[p].worksheet.is_some())
            .map(|p| self.contexts.cards[p].clone())
            .collect()
    }

    /// `<worksheet>/result/<key>/`: one result with its own title, description and card,
    /// the page people post ("I got Connector: take the worksheet").
    pub(crate) fn render_worksheet_result(
        &self,
        site: &Site,
        page: usize,
        result: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let owner = &site.pages[page];
        let Some(sheet) = &owner.worksheet else {
            return Err(Diagnostic::error(
                "internal: result page of a page without a worksheet",
            ));
        };
        let urls = &site.config.urls;
        let item = &sheet.results[result];
        let path = crate::model::bodies::result_path(&owner.path, &item.key);
        let title = format!("{} — {}", item.title, owner.doc.front.title.0);
        let mut ctx = self.context(meta_json(
            site,
            Meta {
                title: &title,
                description: &item.description,
                path: &path,
                og_type: "website",
                published: String::new(),
                modified: String::new(),
                image: super::social::result_image(site, page, result),
            },
        ));
        ctx.insert(
            "worksheet",
            &json!({ "id": sheet.id, "title": owner.doc.front.title.0, "url": urls.path(&owner.path) }),
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
                let other = crate::model::bodies::result_path(&owner.path, &r.key);
                json!({ "title": r.title, "url": urls.path(&other) })
            })
            .collect();
        ctx.insert("others", &others);
        let html = self.templates.render("worksheet_result.html", &ctx)?;
        Ok(self.html_file(&path, html))
    }
}
