//! A redirect page: what an alias (`aliases:`) and a list's `page/1/` write at a URL that
//! only sends readers on. GitHub Pages cannot answer with a 301, so it is a page with a
//! `refresh`, a canonical link for search engines and a link for readers.

use super::Renderer;
use super::context::{Meta, meta_json};
use super::reads::SiteView;
use crate::diagnostic::Diagnostic;
use crate::output::OutputFile;

/// A page at `from` that sends readers (and search engines, by its canonical link) to
/// `to`: aliases and `page/1/`.
pub(crate) fn redirect(
    renderer: &Renderer,
    view: &SiteView,
    from: &str,
    to: &str,
    title: &str,
) -> Result<OutputFile, Diagnostic> {
    let meta = meta_json(view, Meta::website(title, "", to));
    let mut ctx = renderer.context(view, meta);
    ctx.insert("target", &view.config().urls.absolute(to));
    let html = renderer.templates.render("alias.html", &ctx)?;
    Ok(renderer.html_file(view, from, html))
}
