//! Rendering every Markdown body in parallel, then checking links across pages.
//!
//! Anchors can only be checked once every page's heading ids are known, so rendering and
//! checking are two passes; a single page can still be re-rendered and re-checked alone.

use rayon::prelude::*;

use std::collections::HashMap;

use super::{Page, Site, Target};
use crate::diagnostic::Diagnostic;
use crate::load::Source;
use crate::markdown::{self, FenceHandler, LinkResolver, MarkdownInput, NoFences, Rendered};
use crate::worksheet::{self, NotAWorksheet, PageWorksheet, Worksheet};

impl LinkResolver for Site {
    fn page_url(&self, content_path: &str) -> Option<String> {
        match self.by_source.get(content_path)? {
            Target::Page(i) => Some(self.config.urls.path(&self.pages[*i].path)),
            Target::Section(i) => Some(self.config.urls.path(&self.sections[*i].path)),
        }
    }

    fn file_url(&self, content_path: &str) -> Option<String> {
        self.content_file_url(content_path)
    }
}

/// Renders the Markdown of one document against the site's link table.
pub fn render_body(
    site: &Site,
    source: &Source,
    body_offset: usize,
    fences: &dyn FenceHandler,
) -> Rendered {
    let rel = &source.rel;
    let page_dir = rel.rfind('/').map_or("", |i| &rel[..i]);
    markdown::render(&MarkdownInput {
        file: &source.shown,
        source: &source.text,
        body_offset,
        page_dir,
        links: site,
        fences,
    })
}

/// A page body with what rendering it found: its worksheet, if it is one, and problems.
struct PageBody {
    rendered: Rendered,
    worksheet: Option<Worksheet>,
    diagnostics: Vec<Diagnostic>,
}

/// The site path of one result page of the worksheet at `page_path`.
pub fn result_path(page_path: &str, key: &str) -> String {
    format!("{page_path}result/{key}/")
}

/// Renders one page. A page with `worksheet:` has its fenced questions collected and its
/// body wrapped into the worksheet's form; on any other page a ```worksheet block is an
/// error, so a missing `worksheet:` key never silently shows YAML as code.
fn render_page(site: &Site, page: &Page) -> PageBody {
    let doc = &page.doc;
    let source = &doc.source;
    if doc.front.worksheet.is_none() {
        let fences = NotAWorksheet::new(&source.shown, &source.text);
        let rendered = render_body(site, source, doc.body_offset, &fences);
        return PageBody {
            rendered,
            worksheet: None,
            diagnostics: Vec::new(),
        };
    }
    let header = match worksheet::parse_header(&source.shown, &source.text, doc.yaml.clone()) {
        Ok(header) => header,
        Err(errors) => {
            // Still render (links get checked); the questions are not parsed without a header.
            let rendered = render_body(site, source, doc.body_offset, &NoFences);
            return PageBody {
                rendered,
                worksheet: None,
                diagnostics: errors,
            };
        }
    };
    let sheet = PageWorksheet::new(header, &source.shown, &source.text);
    let mut rendered = render_body(site, source, doc.body_offset, &sheet);
    let urls = &site.config.urls;
    let result_url = |key: &str| urls.path(&result_path(&page.path, key));
    match sheet.finish(&rendered.html, &doc.front.title.0, &result_url) {
        Ok((form, mut worksheet)) => {
            // Prompts, explanations and result texts are Markdown inside YAML: their
            // relative `.md` links are rewritten (and checked) here.
            let page_dir = source.rel.rfind('/').map_or("", |i| &source.rel[..i]);
            let (form, mut broken) = markdown::rewrite_page_links(&form, page_dir, site);
            for result in &mut worksheet.results {
                let (body, bad) = markdown::rewrite_page_links(&result.body_html, page_dir, site);
                result.body_html = body;
                broken.extend(bad);
            }
            broken.sort();
            broken.dedup();
            let mut diagnostics = worksheet.warnings.clone();
            diagnostics.extend(broken.into_iter().map(|link| {
                Diagnostic::error(format!(
                    "broken link to `{link}` in the worksheet: no such page"
                ))
                .at(crate::load::locate_key(source, &doc.yaml, "worksheet"))
                .help("links are relative to the folder of this file; check the spelling")
            }));
            rendered.html = form;
            PageBody {
                rendered,
                worksheet: Some(worksheet),
                diagnostics,
            }
        }
        Err(errors) => PageBody {
            rendered,
            worksheet: None,
            diagnostics: errors,
        },
    }
}

/// Renders all page and section bodies (in parallel) and stores them in the model.
pub fn render_all(site: &mut Site) -> Vec<Diagnostic> {
    let page_bodies: Vec<PageBody> = site
        .pages
        .par_iter()
        .map(|p| render_page(site, p))
        .collect();
    let section_bodies: Vec<Option<Rendered>> = site
        .sections
        .par_iter()
        .map(|s| {
            s.doc.as_ref().map(|d| {
                let fences = NotAWorksheet::new(&d.source.shown, &d.source.text);
                render_body(site, &d.source, d.body_offset, &fences)
            })
        })
        .collect();
    let mut diagnostics = Vec::new();
    for (page, body) in site.pages.iter_mut().zip(page_bodies) {
        diagnostics.extend(body.rendered.diagnostics.iter().cloned());
        diagnostics.extend(body.diagnostics);
        page.body = Some(body.rendered);
        page.worksheet = body.worksheet;
    }
    for (section, body) in site.sections.iter_mut().zip(section_bodies) {
        if let Some(body) = &body {
            diagnostics.extend(body.diagnostics.iter().cloned());
        }
        section.body = body;
    }
    diagnostics.extend(check_anchors(site));
    diagnostics.extend(check_worksheet_ids(site));
    diagnostics
}

/// Worksheet ids key readers' saved answers and share links: unique across the site.
fn check_worksheet_ids(site: &Site) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    let mut diagnostics = Vec::new();
    for page in &site.pages {
        let Some(sheet) = &page.worksheet else {
            continue;
        };
        if let Some(first) = seen.insert(&sheet.id, page) {
            diagnostics.push(
                Diagnostic::error(format!("worksheet id `{}` is used twice", sheet.id))
                    .at(sheet.id_location.clone())
                    .label(format!("also the id of {}", first.doc.source.shown.display()))
                    .help("give each worksheet its own id; it keys readers' saved answers and share links"),
            );
        }
    }
    diagnostics
}

/// Every `#fragment` in a link must name an id on its target page.
pub fn check_anchors(site: &Site) -> Vec<Diagnostic> {
    let ids_of = |target: Target| -> Option<&Vec<String>> {
        match target {
            Target::Page(i) => site.pages[i].body.as_ref().map(|b| &b.heading_ids),
            Target::Section(i) => site.sections[i].body.as_ref().map(|b| &b.heading_ids),
        }
    };
    let bodies = site
        .pages
        .iter()
        .map(|p| (&p.doc.source.rel, p.body.as_ref()))
        .chain(
            site.sections
                .iter()
                .filter_map(|s| s.doc.as_ref().map(|d| (&d.source.rel, s.body.as_ref()))),
        );
    let mut diagnostics = Vec::new();
    for (rel, body) in bodies {
        let Some(body) = body else { continue };
        for link in &body.links {
            let Some(fragment) = &link.fragment else {
                continue;
            };
            let target_rel = link.target.as_ref().unwrap_or(rel);
            let Some(&target) = site.by_source.get(target_rel) else {
                continue;
            };
            let Some(ids) = ids_of(target) else { continue };
            if !ids.iter().any(|id| id == fragment) {
                let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
                known.truncate(12);
                let mut d = Diagnostic::error(format!(
                    "broken anchor `#{fragment}`: `{target_rel}` has no heading with this id"
                ))
                .at(link.location.clone())
                .help(if known.is_empty() {
                    "the target page has no headings; link to the page without `#...`".to_string()
                } else {
                    format!("ids on that page: {}", known.join(", "))
                });
                if let Some(hint) = crate::diagnostic::did_you_mean(fragment, known.iter().copied())
                {
                    d = d.label(format!("did you mean `#{hint}`?"));
                }
                diagnostics.push(d);
            }
        }
    }
    diagnostics
}
