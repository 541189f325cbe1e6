//! What rendering read of the site, recorded as it reads, so a job is reused exactly while
//! everything it read is unchanged (the way `model::lookups` records a body's link lookups).
//!
//! Render code never holds a `&Site`: a job renders from a [`SiteView`], and every accessor
//! of the view writes down what it handed out ([`Touch`]: a page, a section, a tag, a list,
//! the site-wide part). When the job is done the touches become its [`Reads`]: each read
//! named by something that survives a rebuild (a source path, a site path, a slug) with a
//! fingerprint of what it gave. On the next run [`Reads::hold`] asks the new site the same
//! questions ([`Current`]); the job is rendered again iff one answer differs. A template
//! that starts using new data can only get it through the view, so it is recorded too.
//!
//! Reads come in aspects, so that showing a neighbour's title does not depend on its text:
//! a page's reference (title, URL), its front matter, or all of it.

mod current;

use std::cell::RefCell;

use crate::config::Config;
use crate::load::ContentFile;
use crate::load::fields::PageFront;
use crate::model::tags::Tag;
use crate::model::{Page, Section, Site};
use crate::worksheet::{Worksheet, WorksheetResult};
pub(crate) use current::Current;

/// One thing a render read, by index into the site it rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Touch {
    /// The config, theme, navigation and build flags every template gets (the session's
    /// global fingerprint).
    Global,
    /// The config alone.
    Config,
    /// Everything of a page: source, URL, body, section, tags, neighbours.
    Page(usize),
    /// A page's front matter, URL and worksheet results (not its text).
    PageFront(usize),
    /// A page's title and URL.
    PageRef(usize),
    /// Which pages a page's related reading lists, in order (`model::related`).
    Related(usize),
    /// A page's card, by its value: what a list shows of the page, whatever it was made
    /// from, so a body edit that leaves the card alone leaves the list alone.
    Card(usize),
    /// What the workbook lists of a page: whether it is a worksheet and, if so, its title,
    /// description, URL, section, id, version, structure hash, question count and results.
    Worksheet(usize),
    /// Everything of a section: its document, body, pages and subsections.
    Section(usize),
    /// A section's title and URL.
    SectionRef(usize),
    /// A tag with its pages.
    Tag(usize),
    /// A tag's name and slug.
    TagRef(usize),
    /// A series: its name, slug and parts in order, with each part's title and URL (what
    /// a part's "Part N of M" box shows; the order keys matter only through the order).
    Series(usize),
    /// Which series there are.
    AllSeries,
    /// Which pages, sections, tags there are, and in which order.
    Pages,
    Sections,
    Tags,
    /// The dated pages, newest first.
    Dated,
    /// Which pages are worksheets, in section order (the home page lists them): one read
    /// where looking at each page's front matter would be one per page of the site.
    WorksheetPages,
    Alias(usize),
    /// A content file (its path, size and modification time).
    File(usize),
    Static(usize),
}

/// One read by names that outlive the site it was made on. A page is named by a hash of
/// its source path (pages are most of a record's reads, and a hash is not allocated).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Read {
    Global,
    Config,
    Page(u64),
    PageFront(u64),
    PageRef(u64),
    Related(u64),
    Card(u64),
    Worksheet(u64),
    Section(String),
    SectionRef(String),
    Tag(String),
    TagRef(String),
    Series(String),
    AllSeries,
    Pages,
    Sections,
    Tags,
    Dated,
    WorksheetPages,
    Alias(String),
    File(String),
    Static(String),
}

/// What a job (or a page card) read, with what each read gave.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reads(Vec<Recorded>);

/// One read: its name, where it was in the site it was made on (tried first: indices
/// rarely move between two runs, and comparing a name is cheaper than looking it up), and
/// the fingerprint of its answer.
#[derive(Debug, Clone)]
struct Recorded {
    read: Read,
    at: Touch,
    fingerprint: u64,
}

impl Reads {
    /// Whether the site `now` gives every recorded read the same answer.
    pub(crate) fn hold(&self, now: &Current) -> bool {
        self.0.iter().all(|r| {
            now.resolve_near(&r.read, r.at)
                .is_some_and(|t| now.fingerprint(t) == r.fingerprint)
        })
    }

    /// Whether every read gives the same answer on `now`; each read's place is moved to
    /// where it is on `now` (see [`Reads::touches`]).
    pub(crate) fn check(&mut self, now: &Current) -> Check {
        let mut moved = false;
        for r in &mut self.0 {
            let Some(touch) = now.resolve_near(&r.read, r.at) else {
                return Check::Changed;
            };
            if now.fingerprint(touch) != r.fingerprint {
                return Check::Changed;
            }
            moved |= touch != r.at;
            r.at = touch;
        }
        if moved { Check::Moved } else { Check::Same }
    }

    /// The reads as touches of the site they were made or last checked on.
    pub(crate) fn touches(&self) -> Vec<Touch> {
        self.0.iter().map(|r| r.at).collect()
    }
}

/// What [`Reads::check`] found.
pub(crate) enum Check {
    /// Every read gives the same answer, at the same place in the site.
    Same,
    /// Every read gives the same answer, some at another place ([`Reads::touches`]).
    Moved,
    /// Some read gives another answer, or is gone.
    Changed,
}

/// The site as one job sees it: every accessor records what it handed out.
pub(crate) struct SiteView<'c, 's> {
    now: &'c Current<'s>,
    touches: RefCell<Vec<Touch>>,
}

/// A page's front matter, URL and worksheet results: what `Touch::PageFront` covers.
pub(crate) struct Front<'a> {
    pub(crate) path: &'a str,
    pub(crate) front: &'a PageFront,
    pub(crate) shown: &'a std::path::Path,
    /// `None` unless the page is a worksheet; its results' keys and titles.
    pub(crate) results: Option<&'a [WorksheetResult]>,
    /// The page's own `image:`, resolved.
    pub(crate) image: Option<&'a crate::model::GivenImage>,
}

impl<'a> Front<'a> {
    /// Page `p`'s front, unrecorded: for planning, which has the site (render code has
    /// only a view, and gets it from [`SiteView::page_front`]).
    pub(crate) fn of(site: &'a Site, p: usize) -> Self {
        let page = &site.pages[p];
        Front {
            path: &page.path,
            front: &page.doc.front,
            shown: &page.doc.source.shown,
            results: page.worksheet.as_ref().map(|w| w.results.as_slice()),
            image: page.image.as_ref(),
        }
    }
}

/// A worksheet page as the workbook lists it: what `Touch::Worksheet` covers.
pub(crate) struct Sheet<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) path: &'a str,
    /// The section that lists the page (`0`: the home page).
    pub(crate) section: usize,
    pub(crate) worksheet: &'a Worksheet,
}

impl<'c, 's> SiteView<'c, 's> {
    pub(crate) fn new(now: &'c Current<'s>) -> Self {
        SiteView {
            now,
            touches: RefCell::new(Vec::new()),
        }
    }

    /// What this view handed out, for [`Current::record`].
    pub(crate) fn into_touches(self) -> Vec<Touch> {
        self.touches.into_inner()
    }

    pub(crate) fn touch(&self, touch: Touch) {
        self.touches.borrow_mut().push(touch);
    }

    /// Records reads made elsewhere on this job's behalf (a memo, a shared page card).
    pub(crate) fn replay(&self, touches: &[Touch]) {
        self.touches.borrow_mut().extend_from_slice(touches);
    }

    /// Runs `read` on a view of its own and gives back what it read, for values made once
    /// and shared by several jobs (each job then replays the reads).
    pub(crate) fn apart<T>(&self, read: impl FnOnce(&SiteView) -> T) -> (T, Vec<Touch>) {
        let view = SiteView::new(self.now);
        let value = read(&view);
        (value, view.into_touches())
    }

    /// The site-wide part every template sees (config, theme, navigation, build flags).
    pub(crate) fn global(&self) {
        self.touch(Touch::Global);
    }

    /// Every page in section order (each section's pages in its display order): the order
    /// the home page and the workbook list worksheets in. Records each section read.
    pub(crate) fn pages_in_section_order(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.sections()).flat_map(|s| self.section(s).pages.iter().copied())
    }

    /// The navigation (part of the global fingerprint).
    pub(crate) fn nav(&self) -> &'s [crate::model::NavLink] {
        self.touch(Touch::Global);
        &self.now.site().nav
    }

    pub(crate) fn config(&self) -> &'s Config {
        self.touch(Touch::Config);
        &self.now.site().config
    }

    pub(crate) fn page(&self, p: usize) -> &'s Page {
        self.touch(Touch::Page(p));
        &self.now.site().pages[p]
    }

    pub(crate) fn page_front(&self, p: usize) -> Front<'s> {
        self.touch(Touch::PageFront(p));
        Front::of(self.now.site(), p)
    }

    /// A page's title and site path.
    pub(crate) fn page_ref(&self, p: usize) -> (&'s str, &'s str) {
        self.touch(Touch::PageRef(p));
        let page = &self.now.site().pages[p];
        (&page.doc.front.title.0, &page.path)
    }

    /// Page `p`'s related reading, best first (see `model::related`).
    pub(crate) fn related(&self, p: usize) -> &'s [usize] {
        self.touch(Touch::Related(p));
        self.now.site().related(p)
    }

    /// Page `p`'s worksheet with the page's title, description, URL and section; `None`
    /// when the page is no worksheet. Unlike [`SiteView::page`], the page's prose is not
    /// read, so editing it leaves a list of worksheets be.
    pub(crate) fn worksheet(&self, p: usize) -> Option<Sheet<'s>> {
        self.touch(Touch::Worksheet(p));
        let page = &self.now.site().pages[p];
        page.worksheet.as_deref().map(|worksheet| Sheet {
            title: &page.doc.front.title.0,
            description: &page.doc.front.description,
            path: &page.path,
            section: page.section,
            worksheet,
        })
    }

    pub(crate) fn section(&self, s: usize) -> &'s Section {
        self.touch(Touch::Section(s));
        &self.now.site().sections[s]
    }

    /// A section's title and site path.
    pub(crate) fn section_ref(&self, s: usize) -> (&'s str, &'s str) {
        self.touch(Touch::SectionRef(s));
        let section = &self.now.site().sections[s];
        (&section.title, &section.path)
    }

    pub(crate) fn tag(&self, t: usize) -> &'s Tag {
        self.touch(Touch::Tag(t));
        &self.now.site().tags[t]
    }

    /// A tag's name and slug.
    pub(crate) fn tag_ref(&self, t: usize) -> (&'s str, &'s str) {
        self.touch(Touch::TagRef(t));
        let tag = &self.now.site().tags[t];
        (&tag.name, &tag.slug)
    }

    /// Series `s` with its parts in order.
    pub(crate) fn series(&self, s: usize) -> &'s crate::model::series::Series {
        self.touch(Touch::Series(s));
        &self.now.site().series[s]
    }

    /// How many series there are (indices `0..n`).
    pub(crate) fn all_series(&self) -> usize {
        self.touch(Touch::AllSeries);
        self.now.site().series.len()
    }

    /// How many pages there are (indices `0..n`).
    pub(crate) fn pages(&self) -> usize {
        self.touch(Touch::Pages);
        self.now.site().pages.len()
    }

    pub(crate) fn sections(&self) -> usize {
        self.touch(Touch::Sections);
        self.now.site().sections.len()
    }

    pub(crate) fn tags(&self) -> usize {
        self.touch(Touch::Tags);
        self.now.site().tags.len()
    }

    /// The worksheet pages, in section order (see [`Touch::WorksheetPages`]).
    pub(crate) fn worksheet_pages(&self) -> &'c [usize] {
        self.touch(Touch::WorksheetPages);
        self.now.worksheet_pages()
    }

    /// Dated pages, newest first.
    pub(crate) fn dated(&self) -> &'s [usize] {
        self.touch(Touch::Dated);
        self.now.site().dated_pages()
    }

    /// An alias path and the page or section it redirects to.
    pub(crate) fn alias(&self, a: usize) -> (&'s str, crate::model::Target) {
        self.touch(Touch::Alias(a));
        let (path, target) = &self.now.site().aliases[a];
        (path, *target)
    }

    pub(crate) fn file(&self, f: usize) -> &'s ContentFile {
        self.touch(Touch::File(f));
        &self.now.site().files[f]
    }

    pub(crate) fn static_file(&self, f: usize) -> &'s ContentFile {
        self.touch(Touch::Static(f));
        &self.now.site().statics[f]
    }

    /// Image `i`, read as the file it is (its path, size and modification time).
    pub(crate) fn image(&self, i: usize) -> &'s crate::model::SiteImage {
        let image = &self.now.site().images[i];
        self.touch(match image.origin {
            crate::model::Origin::Content(f) => Touch::File(f),
            crate::model::Origin::Static(f) => Touch::Static(f),
        });
        image
    }
}

#[cfg(test)]
mod tests;
