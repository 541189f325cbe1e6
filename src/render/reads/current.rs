//! The site as it is now: what each read gives, by name and by index.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{Read, Reads, Recorded, Touch};
use crate::fingerprint::Fingerprint;
use crate::load::ContentFile;
use crate::model::Site;

/// The site as it is now, answering reads (`plan::plan` makes it): fingerprints are
/// computed once per site, when first asked for.
pub(crate) struct Current<'s> {
    site: &'s Site,
    global: u64,
    config: OnceLock<u64>,
    /// Fingerprints of each page (all, front, reference; the hash of its source path
    /// that names it; its worksheet; its related list; its card), section and tag (all,
    /// reference), series, and of the lists, made when first asked for.
    pages: Vec<[OnceLock<u64>; 7]>,
    page_names: OnceLock<HashMap<u64, usize>>,
    section_fps: Vec<[OnceLock<u64>; 2]>,
    tag_fps: Vec<[OnceLock<u64>; 2]>,
    series_fps: Vec<OnceLock<u64>>,
    lists: [OnceLock<u64>; 6],
    /// The worksheet pages, in section order, found once for every job.
    worksheet_pages: OnceLock<Vec<usize>>,
    sections: OnceLock<HashMap<&'s str, usize>>,
    tags: OnceLock<HashMap<&'s str, usize>>,
    series: OnceLock<HashMap<&'s str, usize>>,
    aliases: OnceLock<HashMap<&'s str, usize>>,
    files: OnceLock<HashMap<&'s str, usize>>,
    statics: OnceLock<HashMap<&'s str, usize>>,
}

impl<'s> Current<'s> {
    /// `global` fingerprints the config, theme, navigation and build flags
    /// (`plan::global_fingerprint`).
    pub(crate) fn new(site: &'s Site, global: u64) -> Self {
        Current {
            site,
            global,
            config: OnceLock::new(),
            pages: (0..site.pages.len()).map(|_| Default::default()).collect(),
            section_fps: (0..site.sections.len())
                .map(|_| Default::default())
                .collect(),
            tag_fps: (0..site.tags.len()).map(|_| Default::default()).collect(),
            series_fps: (0..site.series.len()).map(|_| OnceLock::new()).collect(),
            lists: Default::default(),
            worksheet_pages: OnceLock::new(),
            page_names: OnceLock::new(),
            sections: OnceLock::new(),
            tags: OnceLock::new(),
            series: OnceLock::new(),
            aliases: OnceLock::new(),
            files: OnceLock::new(),
            statics: OnceLock::new(),
        }
    }

    /// The site itself, for planning (what exists, where it goes); never for rendering.
    pub(crate) fn site(&self) -> &'s Site {
        self.site
    }

    /// The worksheet pages, in section order (`Touch::WorksheetPages`).
    pub(super) fn worksheet_pages(&self) -> &[usize] {
        self.worksheet_pages.get_or_init(|| {
            let site = self.site;
            site.sections
                .iter()
                .flat_map(|section| section.pages.iter().copied())
                .filter(|&p| site.pages[p].worksheet.is_some())
                .collect()
        })
    }

    /// Page `p`'s card has fingerprint `fingerprint` on this site: the card cache knows it
    /// (`context::build`), where making every card again to fingerprint it cost a fifth of
    /// checking which jobs a save left stale (10,000 pages: 18 ms of CPU a save).
    pub(crate) fn know_card(&self, p: usize, fingerprint: u64) {
        let _ = self.pages[p][6].set(fingerprint);
    }

    /// The name of page `p` in reads: a hash of its source path.
    fn page_name(&self, p: usize) -> u64 {
        *self.pages[p][3].get_or_init(|| crate::fingerprint::of(&self.site.pages[p].doc.source.rel))
    }

    /// The record of `touches`, named so a later site can be asked again.
    pub(crate) fn record(&self, mut touches: Vec<Touch>) -> Reads {
        touches.sort_unstable();
        touches.dedup();
        Reads(
            touches
                .into_iter()
                .map(|at| Recorded {
                    read: self.name(at),
                    at,
                    fingerprint: self.fingerprint(at),
                })
                .collect(),
        )
    }

    /// What `read`, made at `at` on an earlier site, is on this one: `at` itself when the
    /// same thing is still there (or a page one place away: a page added or removed moves
    /// the later ones by one), else wherever its name now is.
    pub(super) fn resolve_near(&self, read: &Read, at: Touch) -> Option<Touch> {
        let site = self.site;
        let page = |p: usize, name: &u64, touch: fn(usize) -> Touch| {
            let is = |q: usize| q < site.pages.len() && self.page_name(q) == *name;
            [p, p + 1, p.wrapping_sub(1)]
                .into_iter()
                .find(|&q| is(q))
                .map(touch)
        };
        let section = |s: usize, path: &str| site.sections.get(s).is_some_and(|x| x.path == path);
        let tag = |t: usize, slug: &str| site.tags.get(t).is_some_and(|x| x.slug == slug);
        let near = match (read, at) {
            (Read::Page(r), Touch::Page(p)) => page(p, r, Touch::Page),
            (Read::PageFront(r), Touch::PageFront(p)) => page(p, r, Touch::PageFront),
            (Read::PageRef(r), Touch::PageRef(p)) => page(p, r, Touch::PageRef),
            (Read::Worksheet(r), Touch::Worksheet(p)) => page(p, r, Touch::Worksheet),
            (Read::Related(r), Touch::Related(p)) => page(p, r, Touch::Related),
            (Read::Card(r), Touch::Card(p)) => page(p, r, Touch::Card),
            (Read::Section(path), Touch::Section(s))
            | (Read::SectionRef(path), Touch::SectionRef(s)) => section(s, path).then_some(at),
            (Read::Tag(slug), Touch::Tag(t)) | (Read::TagRef(slug), Touch::TagRef(t)) => {
                tag(t, slug).then_some(at)
            }
            (Read::Series(slug), Touch::Series(s)) => site
                .series
                .get(s)
                .is_some_and(|x| x.slug == *slug)
                .then_some(at),
            (Read::Alias(path), Touch::Alias(a)) => site
                .aliases
                .get(a)
                .is_some_and(|x| x.0 == *path)
                .then_some(at),
            (Read::File(r), Touch::File(f)) => {
                site.files.get(f).is_some_and(|x| x.rel == *r).then_some(at)
            }
            (Read::Static(r), Touch::Static(f)) => site
                .statics
                .get(f)
                .is_some_and(|x| x.rel == *r)
                .then_some(at),
            (Read::Global, Touch::Global)
            | (Read::Config, Touch::Config)
            | (Read::Pages, Touch::Pages)
            | (Read::Sections, Touch::Sections)
            | (Read::Tags, Touch::Tags)
            | (Read::AllSeries, Touch::AllSeries)
            | (Read::Dated, Touch::Dated)
            | (Read::WorksheetPages, Touch::WorksheetPages) => Some(at),
            _ => None,
        };
        near.or_else(|| self.resolve(read))
    }

    pub(super) fn name(&self, touch: Touch) -> Read {
        let site = self.site;
        let rel = |p: usize| self.page_name(p);
        let section = |s: usize| site.sections[s].path.clone();
        let tag = |t: usize| site.tags[t].slug.clone();
        match touch {
            Touch::Global => Read::Global,
            Touch::Config => Read::Config,
            Touch::Page(p) => Read::Page(rel(p)),
            Touch::PageFront(p) => Read::PageFront(rel(p)),
            Touch::PageRef(p) => Read::PageRef(rel(p)),
            Touch::Worksheet(p) => Read::Worksheet(rel(p)),
            Touch::Related(p) => Read::Related(rel(p)),
            Touch::Card(p) => Read::Card(rel(p)),
            Touch::Section(s) => Read::Section(section(s)),
            Touch::SectionRef(s) => Read::SectionRef(section(s)),
            Touch::Tag(t) => Read::Tag(tag(t)),
            Touch::TagRef(t) => Read::TagRef(tag(t)),
            Touch::Series(s) => Read::Series(site.series[s].slug.clone()),
            Touch::AllSeries => Read::AllSeries,
            Touch::Pages => Read::Pages,
            Touch::Sections => Read::Sections,
            Touch::Tags => Read::Tags,
            Touch::Dated => Read::Dated,
            Touch::WorksheetPages => Read::WorksheetPages,
            Touch::Alias(a) => Read::Alias(site.aliases[a].0.clone()),
            Touch::File(f) => Read::File(site.files[f].rel.clone()),
            Touch::Static(f) => Read::Static(site.statics[f].rel.clone()),
        }
    }

    pub(super) fn resolve(&self, read: &Read) -> Option<Touch> {
        let site = self.site;
        let page = |name: &u64| {
            let names = self.page_names.get_or_init(|| {
                (0..site.pages.len())
                    .map(|p| (self.page_name(p), p))
                    .collect()
            });
            names.get(name).copied()
        };
        fn index<'s>(
            map: &OnceLock<HashMap<&'s str, usize>>,
            keys: impl FnOnce() -> HashMap<&'s str, usize>,
            key: &str,
        ) -> Option<usize> {
            map.get_or_init(keys).get(key).copied()
        }
        let sections = || {
            let all = site.sections.iter().enumerate();
            all.map(|(s, sec)| (sec.path.as_str(), s)).collect()
        };
        let tags = || {
            let all = site.tags.iter().enumerate();
            all.map(|(t, tag)| (tag.slug.as_str(), t)).collect()
        };
        let series = || {
            let all = site.series.iter().enumerate();
            all.map(|(s, one)| (one.slug.as_str(), s)).collect()
        };
        let aliases = || {
            let all = site.aliases.iter().enumerate();
            all.map(|(a, (path, _))| (path.as_str(), a)).collect()
        };
        let files = |files: &'s [ContentFile]| {
            move || {
                let all = files.iter().enumerate();
                all.map(|(f, file)| (file.rel.as_str(), f)).collect()
            }
        };
        Some(match read {
            Read::Global => Touch::Global,
            Read::Config => Touch::Config,
            Read::Page(rel) => Touch::Page(page(rel)?),
            Read::PageFront(rel) => Touch::PageFront(page(rel)?),
            Read::PageRef(rel) => Touch::PageRef(page(rel)?),
            Read::Worksheet(rel) => Touch::Worksheet(page(rel)?),
            Read::Related(rel) => Touch::Related(page(rel)?),
            Read::Card(rel) => Touch::Card(page(rel)?),
            Read::Section(path) => Touch::Section(index(&self.sections, sections, path)?),
            Read::SectionRef(path) => Touch::SectionRef(index(&self.sections, sections, path)?),
            Read::Tag(slug) => Touch::Tag(index(&self.tags, tags, slug)?),
            Read::TagRef(slug) => Touch::TagRef(index(&self.tags, tags, slug)?),
            Read::Series(slug) => Touch::Series(index(&self.series, series, slug)?),
            Read::AllSeries => Touch::AllSeries,
            Read::Pages => Touch::Pages,
            Read::Sections => Touch::Sections,
            Read::Tags => Touch::Tags,
            Read::Dated => Touch::Dated,
            Read::WorksheetPages => Touch::WorksheetPages,
            Read::Alias(path) => Touch::Alias(index(&self.aliases, aliases, path)?),
            Read::File(rel) => Touch::File(index(&self.files, files(&site.files), rel)?),
            Read::Static(rel) => Touch::Static(index(&self.statics, files(&site.statics), rel)?),
        })
    }

    /// What a touch gives on this site.
    pub(crate) fn fingerprint(&self, touch: Touch) -> u64 {
        let site = self.site;
        let memo = |cell: &OnceLock<u64>, make: &dyn Fn(&mut Fingerprint)| {
            *cell.get_or_init(|| {
                let mut parts = Fingerprint::new();
                make(&mut parts);
                parts.finish()
            })
        };
        let rel = |p: usize| site.pages[p].doc.source.rel.as_str();
        match touch {
            Touch::Global => self.global,
            Touch::Config => *self
                .config
                .get_or_init(|| crate::fingerprint::of(&format!("{:?}", site.config))),
            Touch::Page(p) => *self.pages[p][0].get_or_init(|| page_fingerprint(site, p)),
            Touch::PageFront(p) => *self.pages[p][1].get_or_init(|| front_fingerprint(site, p)),
            Touch::PageRef(p) => memo(&self.pages[p][2], &|parts| {
                let page = &site.pages[p];
                parts.with(&page.doc.front.title.0).with(&page.path);
            }),
            Touch::Worksheet(p) => memo(&self.pages[p][4], &|parts| {
                worksheet_fingerprint(site, p, parts);
            }),
            Touch::Related(p) => memo(&self.pages[p][5], &|parts| {
                for &q in site.related(p) {
                    parts.with(rel(q));
                }
            }),
            Touch::Card(p) => *self.pages[p][6].get_or_init(|| {
                // The card itself, made on a view of its own (its reads are what this
                // fingerprint stands for, so they are not kept).
                let view = super::SiteView::new(self);
                crate::render::context::card_fingerprint(&crate::render::context::card_json(
                    &view, p,
                ))
            }),
            Touch::Section(s) => memo(&self.section_fps[s][0], &|parts| {
                section_fingerprint(site, s, parts);
            }),
            Touch::SectionRef(s) => memo(&self.section_fps[s][1], &|parts| {
                let section = &site.sections[s];
                parts.with(&section.title).with(&section.path);
            }),
            Touch::Tag(t) => memo(&self.tag_fps[t][0], &|parts| {
                let tag = &site.tags[t];
                parts.with(&tag.key).with(&tag.name).with(&tag.slug);
                for &p in &tag.pages {
                    parts.with(rel(p));
                }
            }),
            Touch::TagRef(t) => memo(&self.tag_fps[t][1], &|parts| {
                parts.with(&site.tags[t].name).with(&site.tags[t].slug);
            }),
            Touch::Series(s) => memo(&self.series_fps[s], &|parts| {
                let series = &site.series[s];
                parts
                    .with(&series.key)
                    .with(&series.name)
                    .with(&series.slug);
                for &p in &series.pages {
                    let page = &site.pages[p];
                    parts
                        .with(rel(p))
                        .with(&page.doc.front.title.0)
                        .with(&page.path);
                }
            }),
            Touch::AllSeries => memo(&self.lists[4], &|parts| {
                for series in &site.series {
                    parts.with(&series.slug);
                }
            }),
            Touch::Pages => memo(&self.lists[0], &|parts| {
                for p in 0..site.pages.len() {
                    parts.with(rel(p));
                }
            }),
            Touch::Sections => memo(&self.lists[1], &|parts| {
                for section in &site.sections {
                    parts.with(&section.path);
                }
            }),
            Touch::Tags => memo(&self.lists[2], &|parts| {
                for tag in &site.tags {
                    parts.with(&tag.slug);
                }
            }),
            Touch::Dated => memo(&self.lists[3], &|parts| {
                for &p in site.dated_pages() {
                    parts.with(rel(p));
                }
            }),
            Touch::WorksheetPages => memo(&self.lists[5], &|parts| {
                for &p in self.worksheet_pages() {
                    parts.with(rel(p));
                }
            }),
            Touch::Alias(a) => {
                let (path, target) = &site.aliases[a];
                let target = match *target {
                    crate::model::Target::Page(p) => rel(p),
                    crate::model::Target::Section(s) => site.sections[s].path.as_str(),
                };
                Fingerprint::new().with(path).with(target).finish()
            }
            Touch::File(f) => file_fingerprint(&site.files[f]),
            Touch::Static(f) => file_fingerprint(&site.statics[f]),
        }
    }
}

fn page_fingerprint(site: &Site, p: usize) -> u64 {
    let page = &site.pages[p];
    let rel = |p: usize| site.pages[p].doc.source.rel.as_str();
    let tags: Vec<&str> = page
        .tags
        .iter()
        .map(|&t| site.tags[t].slug.as_str())
        .collect();
    let series = page.series.map(|s| site.series[s].slug.as_str());
    Fingerprint::new()
        .with(rel(p))
        .with(&page.doc.source.hash)
        .with(&page.path)
        .with(&series)
        .with(&page.body_version)
        .with(&page.worksheet.is_some())
        .with(&site.sections[page.section].path)
        .with(&tags)
        .with(&page.prev.map(rel))
        .with(&page.next.map(rel))
        .finish()
}

fn front_fingerprint(site: &Site, p: usize) -> u64 {
    let page = &site.pages[p];
    let source = &page.doc.source;
    let mut parts = Fingerprint::new();
    parts
        .with(&source.rel)
        .with(&page.doc.front_hash)
        .with(&page.path)
        .with(&page.worksheet.is_some());
    for result in page.worksheet.iter().flat_map(|w| &w.results) {
        parts.with(&result.key).with(&result.title);
    }
    parts.finish()
}

fn worksheet_fingerprint(site: &Site, p: usize, parts: &mut Fingerprint) {
    let page = &site.pages[p];
    let Some(sheet) = &page.worksheet else {
        parts.with(&false);
        return;
    };
    let front = &page.doc.front;
    parts
        .with(&true)
        .with(&front.title.0)
        .with(&front.description)
        .with(&page.path)
        .with(&site.sections[page.section].path)
        .with(&sheet.id)
        .with(&sheet.version)
        .with(&sheet.hash)
        .with(&sheet.questions);
    for result in &sheet.results {
        parts.with(&result.key).with(&result.title);
    }
}

fn section_fingerprint(site: &Site, s: usize, parts: &mut Fingerprint) {
    let section = &site.sections[s];
    parts
        .with(&section.doc.as_ref().map(|d| d.source.hash))
        .with(&section.title)
        .with(&section.rel_dir)
        .with(&section.path)
        .with(&section.body_version)
        .with(&format!("{:?}", section.sort_by))
        .with(&section.parent.map(|p| site.sections[p].path.as_str()));
    for &p in &section.pages {
        parts.with(&site.pages[p].doc.source.rel);
    }
    for &c in &section.subsections {
        parts.with(&site.sections[c].path);
    }
}

/// Size and modification time: a copied file changed when either did.
fn file_fingerprint(file: &ContentFile) -> u64 {
    let stamp = match std::fs::metadata(&file.path) {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(_) => (0, None),
    };
    Fingerprint::new()
        .with(&file.rel)
        .with(&file.path)
        .with(&stamp)
        .finish()
}
