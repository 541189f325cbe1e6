//! INTERIM: minimal implementation of the markdown contract, replaced by the full module.
use crate::diagnostic::{Diagnostic, Location};
use std::path::Path;

pub struct MarkdownInput<'a> {
    pub file: &'a Path,
    pub source: &'a str,
    pub body_offset: usize,
    pub page_dir: &'a str,
    pub links: &'a dyn LinkResolver,
    pub fences: &'a dyn FenceHandler,
}
pub trait LinkResolver: Sync {
    fn page_url(&self, content_path: &str) -> Option<String>;
}
pub trait FenceHandler: Sync {
    fn render(
        &self,
        info: &str,
        code: &str,
        code_offset: usize,
    ) -> Option<Result<String, Vec<Diagnostic>>>;
}
pub struct NoFences;
impl FenceHandler for NoFences {
    fn render(&self, _: &str, _: &str, _: usize) -> Option<Result<String, Vec<Diagnostic>>> {
        None
    }
}
#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}
#[derive(Debug, Clone)]
pub struct InternalLink {
    pub target: Option<String>,
    pub fragment: Option<String>,
    pub location: Location,
}
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub summary_html: Option<String>,
    pub first_paragraph: Option<String>,
    pub toc: Vec<TocEntry>,
    pub heading_ids: Vec<String>,
    pub links: Vec<InternalLink>,
    pub word_count: usize,
    pub has_code: bool,
    pub diagnostics: Vec<Diagnostic>,
}
pub fn render(input: &MarkdownInput) -> Rendered {
    let body = &input.source[input.body_offset..];
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
    Rendered {
        html,
        summary_html: None,
        first_paragraph: None,
        toc: vec![],
        heading_ids: vec![],
        links: vec![],
        word_count: body.split_whitespace().count(),
        has_code: false,
        diagnostics: vec![],
    }
}
pub fn syntax_css(_light: &str, _dark: &str) -> Result<String, String> {
    Ok(String::new())
}
pub fn theme_names() -> Vec<String> {
    vec!["InspiredGitHub".into(), "base16-ocean.dark".into()]
}
