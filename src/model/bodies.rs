//! Rendering every Markdown body in parallel, then checking links across pages.
//!
//! Anchors can only be checked once every page's heading ids are known, so rendering and
//! checking are two passes; a single page can still be re-rendered and re-checked alone.

use rayon::prelude::*;

use std::collections::HashMap;

pub(crate) use super::body_cache::BodyCache;
use super::body_cache::{CachedBody, render_if_stale};
use super::link_table::Recheck;
use super::{Page, Site, Target};
use crate::diagnostic::Diagnostic;
use crate::load::{PageDoc, Source};
use crate::markdown::{
    self, CodeTheme, ComponentHandler, FenceHandler, HighlightCache, Highlighting, LinkResolver,
    MarkdownInput, Rendered,
};
use crate::worksheet::{self, NotAWorksheet, PageWorksheet, Worksheet};

/// What a body is rendered with besides its links: the code highlighter and the theme's
/// components.
#[derive(Clone, Copy)]
pub struct Renderers<'a> {
    /// How code blocks are coloured.
    pub highlighting: Highlighting<'a>,
    pub(crate) components: &'a dyn ComponentHandler,
}

impl<'a> Renderers<'a> {
    /// Highlighting only: a `{{ component() }}` call is an unknown component.
    pub fn without_components(highlighting: Highlighting<'a>) -> Self {
        Renderers {
            highlighting,
            components: &markdown::NoComponents,
        }
    }
}

/// Renders the Markdown of one document against a link table.
/// `text` is `source`'s text, unpacked once by the caller for every pass over it.
pub(crate) fn render_body(
    links: &dyn LinkResolver,
    source: &Source,
    text: &str,
    page_path: &str,
    body_offset: usize,
    fences: &dyn FenceHandler,
    with: Renderers,
) -> Rendered {
    let rel = &source.rel;
    let page_dir = rel.rfind('/').map_or("", |i| &rel[..i]);
    markdown::render(&MarkdownInput {
        file: &source.shown,
        source: text,
        body_offset,
        page_dir,
        page_path,
        links,
        fences,
        components: with.components,
        highlighting: with.highlighting,
    })
}

/// A page body with what rendering it found: its worksheet, if it is one, and problems.
pub struct PageBody {
    pub rendered: Rendered,
    pub worksheet: Option<Worksheet>,
    /// Problems found outside the Markdown render (worksheet header and checks, broken
    /// links in worksheet texts); the render's own are in `rendered.diagnostics`.
    pub diagnostics: Vec<Diagnostic>,
}

/// The site path of one result page of the worksheet at `page_path`.
pub(crate) fn result_path(page_path: &str, key: &str) -> String {
    format!("{page_path}result/{key}/")
}

/// Renders one page. A page with `worksheet:` has its fenced questions collected and its
/// body wrapped into the worksheet's form; on any other page a ```worksheet block is an
/// error, so a missing `worksheet:` key never silently shows YAML as code.
fn render_page(site: &Site, links: &dyn LinkResolver, page: &Page, with: Renderers) -> PageBody {
    render_page_doc(links, &page.doc, &page.path, &site.config.urls, with)
}

/// [`render_page`] without a `Site`: one page document at site path `page_path`, its links
/// resolved by `links`. Public so the fuzz targets (`fuzz/`) drive exactly the code a build
/// runs for a page, worksheet blocks and link rewriting included.
pub fn render_page_doc(
    links: &dyn LinkResolver,
    doc: &PageDoc,
    page_path: &str,
    urls: &crate::urls::Urls,
    with: Renderers,
) -> PageBody {
    let source = &doc.source;
    let text = source.text();
    if doc.front.worksheet.is_none() {
        let fences = NotAWorksheet::new(&source.shown, &text);
        let rendered = render_body(
            links,
            source,
            &text,
            page_path,
            doc.body_offset,
            &fences,
            with,
        );
        return PageBody {
            rendered,
            worksheet: None,
            diagnostics: Vec::new(),
        };
    }
    let header = match worksheet::parse_header(&source.shown, &text, doc.yaml.clone()) {
        Ok(header) => header,
        Err(errors) => {
            // Still render (links get checked), and check the questions in the same run:
            // without the header, whether scores are per dimension (`by: top`) or totals
            // (`by: bands`) is unknown, so a block is checked both ways and only the
            // problems found both ways (everything but the scores) are reported.
            let sheet = |result| {
                let header = worksheet::Header {
                    id: String::new(),
                    version: 1,
                    result,
                    yaml: doc.yaml.clone(),
                };
                PageWorksheet::new(header, &source.shown, &text)
            };
            let top = sheet(worksheet::Outcomes::Top(Vec::new()));
            let mut rendered =
                render_body(links, source, &text, page_path, doc.body_offset, &top, with);
            let bands = sheet(worksheet::Outcomes::Bands(Vec::new()));
            let other = render_body(
                links,
                source,
                &text,
                page_path,
                doc.body_offset,
                &bands,
                with,
            );
            rendered
                .diagnostics
                .retain(|d| other.diagnostics.contains(d));
            return PageBody {
                rendered,
                worksheet: None,
                diagnostics: errors,
            };
        }
    };
    let sheet = PageWorksheet::new(header, &source.shown, &text);
    let mut rendered = render_body(
        links,
        source,
        &text,
        page_path,
        doc.body_offset,
        &sheet,
        with,
    );
    let result_url = |key: &str| urls.path(&result_path(page_path, key));
    match sheet.finish(&rendered.html.as_str(), &doc.front.title.0, &result_url) {
        Ok((form, mut worksheet)) => {
            // Prompts, explanations and result texts are Markdown inside YAML: their
            // relative `.md` links are rewritten (and checked) here.
            let page_dir = source.rel.rfind('/').map_or("", |i| &source.rel[..i]);
            let place = (page_dir, page_path);
            let generated = urls.path(&format!("{page_path}result/"));
            let (form, mut broken) = markdown::rewrite_local_links(&form, place, &generated, links);
            for result in &mut worksheet.results {
                let (body, bad) =
                    markdown::rewrite_local_links(&result.body_html, place, &generated, links);
                result.body_html = body;
                broken.extend(bad);
            }
            broken.sort_by(|a, b| a.written.cmp(&b.written));
            broken.dedup_by(|a, b| a.written == b.written);
            let mut diagnostics = worksheet.warnings.clone();
            diagnostics.extend(broken.into_iter().map(|link| {
                let location = locate_written(source, doc.body_offset, &link.written)
                    .unwrap_or_else(|| crate::load::locate_key(source, &doc.yaml, "worksheet"));
                link.diagnostic(location)
            }));
            rendered.html = form.into();
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

/// Where the link `link` is written in the worksheet's front matter (a band's or
/// dimension's `body`, written `](link` in Markdown): the YAML's text is the page's, so the
/// link's own line and column are known.
fn locate_written(
    source: &Source,
    body_offset: usize,
    link: &str,
) -> Option<crate::diagnostic::Location> {
    let text = source.text();
    let front = text.get(..body_offset)?;
    let start = front.find("worksheet:").unwrap_or(0);
    let at = front[start..]
        .find(&format!("]({link}"))
        .map(|i| start + i + 2)
        .or_else(|| front[start..].find(link).map(|i| start + i))?;
    Some(crate::diagnostic::Location::at_offset(
        &source.shown,
        &text,
        at,
        link.len(),
    ))
}

/// Which documents a run of [`render_all`] looks at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Every page and section (the model was assembled anew).
    All,
    /// Only these pages, which `model::patch` replaced: every other document, its body and
    /// the link table are as the last run left them.
    Patched(&'a [usize]),
}

/// Renders the bodies in `scope` that are not in `cache` (in parallel), stores them in the
/// model and checks links across pages. Returns every body's problems, not only the new ones.
/// Highlighted code blocks come from and go to `highlights`.
pub(crate) fn render_all(
    site: &mut Site,
    cache: &mut BodyCache,
    scope: Scope,
    highlights: &HighlightCache,
    components: &dyn ComponentHandler,
) -> Vec<Diagnostic> {
    // Bodies checked against this model's table (the preview's deferred ones, checked in
    // chunks just before this pass) ask none of their page lookups again.
    let recheck = recheck_now(site, cache);
    let pages: Vec<usize> = match scope {
        Scope::All => {
            cache.table = Some(site.link_table().clone());
            (0..site.pages.len()).collect()
        }
        Scope::Patched(pages) => pages.to_vec(),
    };
    let code_theme = CodeTheme::configured(&site.config.highlight);
    let with = renderers(&code_theme, highlights, components);
    render_rounds(site, cache, &pages, &recheck, with);
    let shared: &Site = site;
    let fresh_sections: Vec<CachedBody> = match scope {
        Scope::Patched(_) => Vec::new(),
        Scope::All => (0..shared.sections.len())
            .into_par_iter()
            .filter_map(|s| render_section(shared, cache, s, &recheck, with))
            .collect(),
    };
    for body in fresh_sections {
        cache.insert(body);
    }
    if matches!(scope, Scope::All) {
        let documents = site.pages.len() + site.sections.iter().filter(|s| s.doc.is_some()).count();
        if cache.bodies.len() != documents {
            // Deleted or renamed documents left entries behind.
            cache.retain(|rel| site.by_source.contains_key(rel));
        }
    }
    for &i in &pages {
        let page = &mut site.pages[i];
        let Some(body) = cache.bodies.get(&page.doc.source.rel) else {
            continue;
        };
        page.body = Some(body.rendered.clone());
        page.worksheet = body.worksheet.clone();
        page.body_version = body.version;
    }
    if matches!(scope, Scope::All) {
        install_sections(site, cache, 0..site.sections.len());
    }
    match scope {
        Scope::All => {
            cache.anchors.check_all(site);
            cache.worksheet_ids = check_worksheet_ids(site);
        }
        // Front matter (worksheet ids included) is unchanged in a patched model.
        Scope::Patched(pages) => cache.anchors.check_patched(site, pages),
    }
    let mut diagnostics = cache.problems();
    diagnostics.extend(cache.anchors.problems().cloned());
    diagnostics.extend(cache.worksheet_ids.iter().cloned());
    diagnostics
}

/// Renders the stale bodies of `pages` in parallel, worksheets first: a page that shows a
/// worksheet's card (`{{ worksheet(…) }}`) reads its question count and results, known once
/// the worksheet's body is rendered. Bodies go to `cache`; worksheets also to the model.
fn render_rounds(
    site: &mut Site,
    cache: &mut BodyCache,
    pages: &[usize],
    recheck: &Recheck,
    with: Renderers,
) {
    let (sheets, others): (Vec<usize>, Vec<usize>) = pages
        .iter()
        .partition(|&&i| site.pages[i].doc.front.worksheet.is_some());
    for round in [&sheets, &others] {
        let shared: &Site = site;
        let fresh: Vec<CachedBody> = round
            .par_iter()
            .filter_map(|&i| {
                let p = &shared.pages[i];
                render_if_stale(cache, shared, &p.doc.source, &p.path, recheck, |links| {
                    render_page(shared, links, p, with)
                })
            })
            .collect();
        for body in fresh {
            cache.insert(body);
        }
        for &i in round {
            let page = &mut site.pages[i];
            if let Some(body) = cache.bodies.get(&page.doc.source.rel) {
                page.worksheet = body.worksheet.clone();
            }
        }
    }
}

/// Section `s`'s body, if it has a document whose cached body does not hold on `site`.
fn render_section(
    site: &Site,
    cache: &BodyCache,
    s: usize,
    recheck: &Recheck,
    with: Renderers,
) -> Option<CachedBody> {
    let section = &site.sections[s];
    let d = section.doc.as_ref()?;
    render_if_stale(cache, site, &d.source, &section.path, recheck, |links| {
        let text = d.source.text();
        let fences = NotAWorksheet::new(&d.source.shown, &text);
        PageBody {
            rendered: render_body(
                links,
                &d.source,
                &text,
                &section.path,
                d.body_offset,
                &fences,
                with,
            ),
            worksheet: None,
            diagnostics: Vec::new(),
        }
    })
}

/// Puts the cached bodies of `sections` into the model.
fn install_sections(site: &mut Site, cache: &BodyCache, sections: impl IntoIterator<Item = usize>) {
    for s in sections {
        let section = &mut site.sections[s];
        let Some(body) = section
            .doc
            .as_ref()
            .and_then(|d| cache.bodies.get(&d.source.rel))
        else {
            continue;
        };
        section.body = Some(body.rendered.clone());
        section.body_version = body.version;
    }
}

/// Renders the bodies of `pages` only, in a model whose other bodies may not be rendered
/// yet: the live preview's requested pages before the rest of the site (issue #19). Every
/// worksheet comes along (which result pages exist depends on them, and pages may show
/// their cards), and so does every page one of `pages` links into with a `#fragment`, so
/// those anchors are checked now. `sections` (a list's own text) are rendered too. Returns
/// the problems of `pages` alone; the run's [`render_all`] over `Scope::All` later checks
/// everything, sections' links and anchors included.
pub(crate) fn render_only(
    site: &mut Site,
    cache: &mut BodyCache,
    (pages, sections): (&[usize], &[usize]),
    highlights: &HighlightCache,
    components: &dyn ComponentHandler,
) -> Vec<Diagnostic> {
    // The cache's table stays as it was: bodies not rendered here were checked against it.
    let recheck = recheck_now(site, cache);
    let code_theme = CodeTheme::configured(&site.config.highlight);
    let with = renderers(&code_theme, highlights, components);
    let worksheets = (0..site.pages.len()).filter(|&i| site.pages[i].doc.front.worksheet.is_some());
    let mut first: Vec<usize> = pages.iter().copied().chain(worksheets).collect();
    first.sort_unstable();
    first.dedup();
    render_rounds(site, cache, &first, &recheck, with);
    let targets: Vec<usize> = pages
        .iter()
        .filter_map(|&i| cache.bodies.get(&site.pages[i].doc.source.rel))
        .flat_map(|b| &b.rendered.links)
        .filter_map(|link| match site.by_source.get(link.target.as_deref()?) {
            Some(&Target::Page(j)) if first.binary_search(&j).is_err() => Some(j),
            _ => None,
        })
        .collect();
    render_rounds(site, cache, &targets, &recheck, with);
    install(site, cache, first.iter().chain(&targets));
    let shared: &Site = site;
    let fresh: Vec<CachedBody> = sections
        .par_iter()
        .filter_map(|&s| render_section(shared, cache, s, &recheck, with))
        .collect();
    for body in fresh {
        cache.insert(body);
    }
    install_sections(site, cache, sections.iter().copied());
    let rels: Vec<&str> = pages
        .iter()
        .map(|&i| site.pages[i].doc.source.rel.as_str())
        .collect();
    cache.anchors.check_documents(site, &rels);
    let mut diagnostics: Vec<Diagnostic> = rels
        .iter()
        .filter_map(|rel| cache.bodies.get(*rel))
        .flat_map(|b| b.rendered.diagnostics.iter().chain(&b.diagnostics))
        .cloned()
        .collect();
    diagnostics.extend(cache.anchors.problems_of(&rels).cloned());
    diagnostics
}

/// Which page lookups of cached bodies must be asked again on `site`: those whose answer
/// differs between the link table the cache was checked against and `site`'s. O(pages),
/// made once per pair of tables (a run asks in each of its passes).
pub(crate) fn recheck_now(site: &Site, cache: &mut BodyCache) -> Recheck {
    let now = site.link_table();
    let key = (
        cache.table.as_ref().map(|t| t.fingerprint()),
        now.fingerprint(),
    );
    match &cache.recheck {
        Some((made_for, recheck)) if *made_for == key => recheck.clone(),
        _ => {
            let recheck = Recheck::between(cache.table.as_deref(), now);
            cache.recheck = Some((key, recheck.clone()));
            recheck
        }
    }
}

/// Renders the stale bodies of `pages` and puts them all in the model, checking nothing:
/// the bodies a preview run deferred, a chunk at a time, before the run's whole-site
/// [`render_all`] checks every link and anchor. `recheck` is [`recheck_now`], asked once
/// for all the chunks (asking per chunk made a run O(pages² / chunk)).
pub(crate) fn render_chunk(
    site: &mut Site,
    cache: &mut BodyCache,
    pages: &[usize],
    recheck: &Recheck,
    highlights: &HighlightCache,
    components: &dyn ComponentHandler,
) {
    let code_theme = CodeTheme::configured(&site.config.highlight);
    let with = renderers(&code_theme, highlights, components);
    render_rounds(site, cache, pages, recheck, with);
    install(site, cache, pages);
}

/// Puts the cached bodies of `pages` into the model.
fn install<'i>(site: &mut Site, cache: &BodyCache, pages: impl IntoIterator<Item = &'i usize>) {
    for &i in pages {
        let page = &mut site.pages[i];
        if let Some(body) = cache.bodies.get(&page.doc.source.rel) {
            page.body = Some(body.rendered.clone());
            page.body_version = body.version;
        }
    }
}

/// What every body of a run is rendered with.
fn renderers<'a>(
    theme: &'a CodeTheme,
    cache: &'a HighlightCache,
    components: &'a dyn ComponentHandler,
) -> Renderers<'a> {
    Renderers {
        highlighting: Highlighting { theme, cache },
        components,
    }
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
