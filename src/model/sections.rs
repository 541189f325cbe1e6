//! Sections: which folders have an `_index.md`, which section lists each page, and the
//! order (and so prev/next) of every section's pages.

use std::collections::BTreeMap;

use super::{Page, Section, dir_path, newest_first, parent_dir};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::fields::SortBy;
use crate::load::{self, SectionDoc};

pub(super) fn build_sections(
    config: &Config,
    docs: Vec<SectionDoc>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut by_dir: BTreeMap<String, SectionDoc> = BTreeMap::new();
    for doc in docs {
        let dir = parent_dir(&doc.source.rel).to_string();
        by_dir.insert(dir, doc);
    }
    let home = by_dir.remove("");
    let mut sections = vec![Section {
        paginate_by: home
            .as_ref()
            .and_then(|d| d.front.paginate_by)
            .map_or(config.paginate_by, |size| size.0),
        title: home
            .as_ref()
            .map_or_else(|| config.title.clone(), |d| d.front.title.0.clone()),
        sort_by: home
            .as_ref()
            .and_then(|d| d.front.sort_by)
            .unwrap_or(SortBy::Weight),
        doc: home,
        rel_dir: String::new(),
        path: "/".into(),
        pages: Vec::new(),
        parent: None,
        subsections: Vec::new(),
        body: None,
        body_version: 0,
    }];
    for (dir, doc) in by_dir {
        let path = dir_path(&dir);
        if path == "/" {
            diagnostics.push(
                Diagnostic::error("cannot make a URL from this folder name")
                    .at(Location::file_only(&doc.source.shown))
                    .help("rename the folder using letters or digits"),
            );
            continue;
        }
        sections.push(Section {
            paginate_by: doc
                .front
                .paginate_by
                .map_or(config.paginate_by, |size| size.0),
            title: doc.front.title.0.clone(),
            sort_by: doc.front.sort_by.unwrap_or(SortBy::Date),
            doc: Some(doc),
            rel_dir: dir,
            path,
            pages: Vec::new(),
            parent: None,
            subsections: Vec::new(),
            body: None,
            body_version: 0,
        });
    }
    for i in 1..sections.len() {
        let parent = owning_section(&sections, parent_dir(&sections[i].rel_dir));
        sections[i].parent = Some(parent);
        sections[parent].subsections.push(i);
    }
    sections
}

/// The nearest section at or above `dir`.
pub(super) fn owning_section(sections: &[Section], dir: &str) -> usize {
    let mut dir = dir;
    loop {
        if let Some(i) = sections.iter().position(|s| s.rel_dir == dir) {
            return i;
        }
        if dir.is_empty() {
            return 0;
        }
        dir = parent_dir(dir);
    }
}

pub(super) fn order_sections(
    sections: &mut [Section],
    pages: &mut [Page],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (i, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(i);
    }
    for section in sections.iter_mut() {
        let sort_by = section.sort_by;
        if sort_by == SortBy::Date {
            for &i in &section.pages {
                let doc = &pages[i].doc;
                if doc.front.date.is_none() {
                    let index = section
                        .doc
                        .as_ref()
                        .map_or("content/_index.md".into(), |d| {
                            d.source.shown.display().to_string()
                        });
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "this page has no date, but its section `{}` is sorted by date",
                            section.title
                        ))
                        .at(load::locate_key(&doc.source, &doc.yaml, "title"))
                        .help(format!(
                            "add `date: 2025-03-01` here, or set `sort_by: weight` in {index}"
                        )),
                    );
                }
            }
        }
        let by_title = |a: &Page, b: &Page| {
            a.doc
                .front
                .title
                .0
                .to_lowercase()
                .cmp(&b.doc.front.title.0.to_lowercase())
        };
        section.pages.sort_by(|&a, &b| {
            let (pa, pb) = (&pages[a], &pages[b]);
            match sort_by {
                SortBy::Date => newest_first(pa, pb),
                SortBy::Weight => pa
                    .doc
                    .front
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pb.doc.front.weight.unwrap_or(i64::MAX))
                    .then_with(|| by_title(pa, pb)),
                SortBy::Title => by_title(pa, pb).then_with(|| pa.path.cmp(&pb.path)),
            }
        });
        let order = &section.pages;
        for (pos, &i) in order.iter().enumerate() {
            let before = pos.checked_sub(1).map(|p| order[p]);
            let after = order.get(pos + 1).copied();
            let (prev, next) = if sort_by == SortBy::Date {
                (after, before)
            } else {
                (before, after)
            };
            pages[i].prev = prev;
            pages[i].next = next;
        }
    }
    let weights: Vec<(i64, String)> = sections
        .iter()
        .map(|s| {
            (
                s.doc
                    .as_ref()
                    .and_then(|d| d.front.weight)
                    .unwrap_or(i64::MAX),
                s.title.to_lowercase(),
            )
        })
        .collect();
    for section in sections.iter_mut() {
        section
            .subsections
            .sort_by(|&a, &b| weights[a].cmp(&weights[b]));
    }
}
