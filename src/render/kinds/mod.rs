//! Every kind of output, one module each: what jobs of the kind a site has, the files each
//! writes, how one is rendered, and how a clash over its path is reported.
//!
//! A kind renders from a [`SiteView`] only, never from the `Site`: what it read is recorded
//! (`reads`), and that record is the job's key. Adding a page kind is one new module here
//! and one line in [`KINDS`].

mod alias;
mod assets;
mod cards;
mod content_file;
mod images;
mod nojekyll;
mod not_found;
mod page;
mod redirects;
mod results;
mod robots;
mod search_page;
mod section;
mod series;
mod series_feed;
mod series_index;
mod site_feeds;
mod sitemap;
mod static_file;
mod tag;
mod tag_feed;
mod tag_index;
mod workbook;

use super::Renderer;
use super::reads::SiteView;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::OutputFile;

/// One kind of output (a page, the tag index, the feeds, a copied file, ...).
///
/// A job is a kind with an instance number (an index into the site where a kind has many,
/// `0` where it has one).
pub(crate) trait Kind: Sync {
    /// The kind's name: part of every job's identity between builds.
    fn name(&self) -> &'static str;

    /// This kind's jobs in `site`, in output order.
    fn instances(&self, site: &Site) -> Vec<usize>;

    /// The output files job `id` writes, known without rendering it (the live preview
    /// holds requests for these while the job is pending; clashes are found from them).
    fn outputs(&self, site: &Site, id: usize) -> Vec<String>;

    /// Renders job `id` from what `view` gives it (and records).
    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        id: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic>;

    /// Costs next to nothing (copies, the theme's assets): never worth deferring, and a
    /// page rendered first may need it (a stylesheet under a new fingerprint).
    fn cheap(&self) -> bool {
        false
    }

    /// Which Markdown bodies job `id` shows. The live preview renders a requested page
    /// before the rest of the site's bodies (issue #19's instant start), and only a job that
    /// says which bodies it needs can go first; every other job waits for all of them. A
    /// list says which pages its cards show (a card is never shown without its summary).
    fn bodies(&self, _site: &Site, _id: usize) -> Bodies {
        if self.cheap() {
            Bodies::None
        } else {
            Bodies::All
        }
    }

    /// Whether the kind's templates get page cards (lists of other pages), so the preview's
    /// first step builds them only when needed.
    fn shows_cards(&self) -> bool {
        false
    }

    /// The job that makes the HTML page at `site_path` (`/essays/a/`), if this kind does:
    /// how the preview finds the jobs of the open pages.
    fn at_path(&self, _site: &Site, _site_path: &str) -> Option<usize> {
        None
    }

    /// The job that writes the output file `file` (`essays/a/index.html`, `rss.xml`), if
    /// this kind does: how the preview finds the job of a requested file, which it renders
    /// before the rest of the run. An HTML file is found by its page's site path.
    fn at_file(&self, site: &Site, file: &str) -> Option<usize> {
        let site_path = match file.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None if file.ends_with(".html") => format!("/{file}"),
            None => return None,
        };
        self.at_path(site, &site_path)
    }

    /// The paths [`render::clashes`](super::clashes) checks; `assets` are the compiled
    /// theme's files.
    fn claimed(&self, site: &Site, id: usize, _assets: &[OutputFile]) -> Vec<String> {
        self.outputs(site, id)
    }

    /// How much a clash over an output path is the author's choice: the error goes to the
    /// job with the higher rank (alias 4, static file 3, content file 2, page 1, else 0).
    fn rank(&self) -> u8 {
        0
    }

    /// A static file replaces a generated file of its name by design.
    fn replaces_generated(&self) -> bool {
        false
    }

    /// What job `id` makes, in words.
    fn describe(&self, site: &Site, id: usize) -> String;

    /// Where the author can fix job `id`'s output path.
    fn locate(&self, _site: &Site, _id: usize) -> Location {
        Location::file_only("content")
    }

    /// The error message when job `id` is at fault for a clash with `other`.
    fn clash_message(&self, site: &Site, id: usize, what: &str, other: &str) -> String {
        format!("{what}: {} and {other}", self.describe(site, id))
    }

    fn clash_help(&self) -> &'static str {
        "rename one of them"
    }
}

/// The Markdown bodies a job shows (see [`Kind::bodies`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bodies {
    /// None: a copied file, the theme's assets.
    None,
    /// These pages' and sections' own (by index).
    Some {
        pages: Vec<usize>,
        sections: Vec<usize>,
    },
    /// Any page's: feeds, and kinds that do not say.
    All,
}

impl Bodies {
    /// These pages' bodies, no section's.
    pub(crate) fn pages(pages: Vec<usize>) -> Self {
        Bodies::Some {
            pages,
            sections: Vec::new(),
        }
    }
}

/// Every kind, in output order: a later file wins a path (static files last).
pub(crate) static KINDS: &[&dyn Kind] = &[
    &page::Page,
    &section::Section,
    &tag::Tag,
    &tag_index::TagIndex,
    &series::Series,
    &series_index::SeriesIndex,
    &workbook::Workbook,
    &search_page::SearchPage,
    &not_found::NotFound,
    &alias::Alias,
    &redirects::Redirects,
    &results::Results,
    &cards::Cards,
    &site_feeds::SiteFeeds,
    &tag_feed::TagFeed,
    &series_feed::SeriesFeed,
    &sitemap::Sitemap,
    &robots::Robots,
    &nojekyll::NoJekyll,
    &assets::Assets,
    &content_file::ContentFile,
    &static_file::StaticFile,
    &images::Images,
];

/// `0..n`, the instances of a kind with one job per site item.
fn each(n: usize) -> Vec<usize> {
    (0..n).collect()
}

/// The instance of `kind` that writes `file`, found by asking each for its outputs: how a
/// kind with few instances and no page path (a feed) answers [`Kind::at_file`].
fn instance_writing(kind: &dyn Kind, site: &Site, file: &str) -> Option<usize> {
    kind.instances(site)
        .into_iter()
        .find(|&id| kind.outputs(site, id).iter().any(|o| o == file))
}

/// The one instance of a kind with one job per site.
fn one() -> Vec<usize> {
    vec![0]
}

/// A generated text file.
fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: crate::output::Contents::Bytes(text.into()),
    }
}
