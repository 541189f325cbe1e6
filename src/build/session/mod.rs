//! A build that remembers: the one pipeline run both by `sheaf build` (once, from nothing)
//! and by `sheaf serve` (again after every save, reusing what did not change).
//!
//! A run has two steps, and the types make their order: [`Session::start`] reads, models
//! and plans, renders the urgent files and returns a [`Started`] handle that borrows the
//! session; only that handle can finish the run (`finish`, `finish_unless`, `finish_into`),
//! and finishing consumes it. Every phase reports into one collector (`Run`), and every
//! failure comes back as the run's `Diagnostics`, never empty.
//!
//! What is kept between runs, and why reusing it is safe:
//! - the content tree (`load::ContentTree`): only files the watcher named are read again;
//! - rendered Markdown bodies (`model::bodies::BodyCache`): reused while the source, the
//!   page's URL and the answer to every link lookup the body made are unchanged;
//! - the compiled theme: while the theme's files and the config are unchanged;
//! - page cards and output files, with what rendering them read (`render::reads`): a job
//!   whose recorded reads give the same answers on the new model reuses its files.
//!
//! The model is assembled afresh unless an edit left every front matter alone (then the
//! edited pages are patched in), so sections, tags, prev/next and feeds never go stale.
//! A clean build is the same code with empty caches, which is what the
//! incremental-equals-clean test compares; [`RunStats`] counts what a run redid, which is
//! what the reuse tests check.

mod finish;
mod phases;
mod theme_compile;
mod urgent;

pub(crate) use finish::Sink;
pub use finish::Started;

use std::collections::HashSet;

use super::run::{Changes, Rebuilt, RunStats, Urgent};
use super::{BuildOptions, Timings};
use crate::build::outputs::OutputStore;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::ContentTree;
use crate::markdown::HighlightCache;
use crate::model::Site;
use crate::model::bodies::BodyCache;
use crate::output::OutputFile;
use crate::render::Theme;
use crate::render::context::CardCache;
use crate::render::plan;

/// Where social cards are cached between builds, under the site root (`sheaf init`
/// puts it in `.gitignore`; deleting it only costs one build's rendering).
pub(super) const CARD_CACHE_DIR: &str = ".sheaf-cache/cards";
/// Where highlighted code blocks are kept between builds (`markdown::HighlightCache`).
pub(super) const HIGHLIGHT_CACHE_FILE: &str = ".sheaf-cache/highlight";

/// The compiled theme and the inputs it was compiled from.
struct CompiledTheme {
    key: u64,
    theme: Theme,
}

/// The model of the last run, with the load and model problems found making it (kept for
/// runs that patch the model instead of assembling it again).
struct Model {
    site: Site,
    diagnostics: Diagnostics,
}

/// What the session read and derived from the sources, kept for the next run.
struct Sources {
    tree: Option<ContentTree>,
    /// The config as last loaded (its debug form: `Config` holds no secrets or pointers).
    config_fingerprint: u64,
    bodies: BodyCache,
    /// Highlighted code blocks from earlier builds and this session (`HIGHLIGHT_CACHE_FILE`).
    highlights: HighlightCache,
    /// The newest body version in the last model: bodies above it were rendered since.
    newest_body: u64,
    /// `template:` keys naming no template and output paths two sources make, as last
    /// checked (they change only with the model's shape or the theme).
    output_checks: Diagnostics,
    /// The theme's and site's components as last compiled, and the problems found then.
    components: Option<(std::sync::Arc<crate::components::Components>, Diagnostics)>,
    /// The model's bodies are not all rendered: the preview's first step rendered only
    /// what its open pages show, and `finish` renders the rest (`phases.rs`).
    bodies_deferred: bool,
    /// The highlight cache's counts when the run began, for the run's stats.
    highlights_at_start: (usize, usize),
}

/// What rendering keeps; [`Started`] borrows it to finish a run.
struct Rendering {
    store: OutputStore,
    /// Page cards (the data lists show), by key.
    cards: CardCache,
    /// Social cards rendered by this and earlier builds, on disk (`CARD_CACHE_DIR`).
    social_cards: crate::cards::CardCache,
    /// Resized pictures made by this and earlier builds (`.sheaf-cache/images/`).
    images: crate::images::ImageCache,
}

/// A build that lives across runs: `sheaf build` runs it once, `sheaf serve` after every
/// save, reusing whatever the changes left valid.
pub struct Session {
    options: BuildOptions,
    /// `false` only in tests that prove a reuse test can fail ([`Session::without_reuse`]).
    reuse: bool,
    sources: Sources,
    model: Option<Model>,
    theme: Option<CompiledTheme>,
    rendering: Rendering,
}

/// The run in progress: the collector every phase reports into, with its timings and
/// counts. A phase that cannot go on returns [`Halt`] with its errors already here.
struct Run {
    diagnostics: Diagnostics,
    timings: Timings,
    stats: RunStats,
    /// The social card cache's count when the run began (it counts for the session).
    cards_before: usize,
    /// Keys of the jobs `start` rendered, so `finish` does not count them as reused.
    rendered_keys: HashSet<u64>,
}

/// A run stopped by errors, which are in its [`Run`]'s diagnostics.
struct Halt;

impl Run {
    fn begin(social_cards: &crate::cards::CardCache) -> Run {
        Run {
            diagnostics: Diagnostics::new(),
            timings: Timings::start(),
            stats: RunStats::default(),
            cards_before: social_cards.renders(),
            rendered_keys: HashSet::new(),
        }
    }

    /// The value of a stage that reports its problems as `Err`; else they join the run's.
    fn take<T, E: Into<Diagnostics>>(&mut self, result: Result<T, E>) -> Result<T, Halt> {
        result.map_err(|errors| self.halt(errors))
    }

    fn halt(&mut self, errors: impl Into<Diagnostics>) -> Halt {
        self.diagnostics.extend(errors.into());
        debug_assert!(
            self.diagnostics.has_errors(),
            "a run halted without an error"
        );
        Halt
    }

    fn halt_on_errors(&self) -> Result<(), Halt> {
        match self.diagnostics.has_errors() {
            true => Err(Halt),
            false => Ok(()),
        }
    }

    /// The run's problems, `errors` included: what a failed run returns.
    fn fail(mut self, errors: impl Into<Diagnostics>) -> Diagnostics {
        self.halt(errors);
        self.diagnostics
    }

    /// The report of a complete run.
    fn complete(mut self, changed: Vec<String>, removed: Vec<String>, cards: usize) -> Rebuilt {
        self.stats.cards_drawn = cards - self.cards_before;
        Rebuilt {
            changed,
            removed,
            stats: self.stats,
            warnings: self.diagnostics,
            timings: self.timings,
        }
    }
}

impl Session {
    /// A session with nothing built yet.
    pub fn new(options: BuildOptions) -> Self {
        let social_cards = crate::cards::CardCache::new(options.root.join(CARD_CACHE_DIR));
        let images = crate::images::ImageCache::open(&options.root);
        let highlight_file = options.root.join(HIGHLIGHT_CACHE_FILE);
        let highlights = if options.preview {
            HighlightCache::for_preview(highlight_file)
        } else {
            HighlightCache::for_build(highlight_file)
        };
        Session {
            options,
            reuse: true,
            sources: Sources::new(highlights),
            model: None,
            theme: None,
            rendering: Rendering {
                store: OutputStore::default(),
                cards: CardCache::default(),
                social_cards,
                images,
            },
        }
    }

    /// A session that keeps nothing between runs and reads no highlight cache: every run
    /// reads, parses, highlights and renders everything. Only for proving that a reuse
    /// test fails on a session that reuses nothing (social card images still come from
    /// `CARD_CACHE_DIR`); no command offers it.
    #[doc(hidden)]
    pub fn without_reuse(mut self) -> Self {
        self.reuse = false;
        self.forget();
        self
    }

    /// Drops every cache (see [`Session::without_reuse`]).
    fn forget(&mut self) {
        self.sources = Sources::new(HighlightCache::in_memory());
        self.model = None;
        self.theme = None;
        self.rendering.store = OutputStore::default();
        self.rendering.cards = CardCache::default();
    }

    /// Keeps the code blocks this session highlighted for the next build (`sheaf build`
    /// only: a preview reads the cache but never writes it). What it returns are warnings:
    /// the next build only highlights again.
    pub fn store_highlights(&self) -> Diagnostics {
        match self.sources.highlights.store() {
            Ok(()) => Diagnostics::new(),
            Err(e) => Diagnostic::warning(format!(
                "could not keep highlighted code in {HIGHLIGHT_CACHE_FILE}: {e}"
            ))
            .help("the site was built; the next build highlights its code again")
            .into(),
        }
    }

    /// Drops the resized pictures this build did not ask for from the image cache
    /// (`sheaf build` only, after a complete build: a preview may not have asked for all).
    pub fn prune_images(&self) -> Diagnostics {
        match self.rendering.images.prune() {
            Ok(_) => Diagnostics::new(),
            Err(e) => Diagnostic::warning(format!("could not tidy the image cache: {e}"))
                .help("the site was built; old resized pictures stay in .sheaf-cache/images/")
                .into(),
        }
    }

    /// Pictures resized by this session (the others came from the cache).
    pub fn images_resized(&self) -> usize {
        self.rendering.images.renders()
    }

    /// How this session builds.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The output of the last successful run.
    pub fn files(&self) -> impl Iterator<Item = &OutputFile> {
        self.rendering.store.files()
    }

    /// Packs the text files of the last run still held plain (the live preview answers a
    /// save first and packs after: packing is a quarter of rendering's CPU); returns the
    /// paths of the output files packed, for the preview to swap in.
    pub fn pack_files(&mut self) -> Vec<String> {
        self.rendering.store.pack()
    }

    /// One output file of the last run, by its path in the output folder.
    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        self.rendering.store.file(path)
    }

    /// Runs the whole pipeline. On failure nothing kept from the last successful run
    /// changes, so its output can still be served.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        self.start(changes, &Urgent::All)?.finish()
    }

    /// `sheaf build`: the whole pipeline from nothing, each batch of files handed to
    /// `sink` (see [`Started::finish_into`]).
    pub fn build_into(&mut self, sink: &mut Sink) -> Result<Rebuilt, Diagnostics> {
        self.start(&Changes::All, &Urgent::All)?.finish_into(sink)
    }

    /// Runs the pipeline up to the urgent files: reads what changed, assembles the model,
    /// renders changed bodies, plans every output, and renders the jobs that make `urgent`
    /// files (the live preview's open pages). The returned handle finishes the run.
    pub fn start(
        &mut self,
        changes: &Changes,
        urgent: &Urgent,
    ) -> Result<Started<'_>, Diagnostics> {
        let all = Changes::All;
        let changes = if self.reuse { changes } else { &all };
        if !self.reuse {
            self.forget();
        }
        let mut run = Run::begin(&self.rendering.social_cards);
        let Session {
            options,
            sources,
            model,
            theme,
            rendering,
            ..
        } = self;
        // The preview's first step renders only the bodies its open pages show (issue #19:
        // a requested page is served before the rest of a large site is parsed).
        let defer = options.preview && matches!(urgent, Urgent::Files(_));
        let Ok((site, compiled)) = sources.prepare(options, changes, model, theme, defer, &mut run)
        else {
            return Err(run.diagnostics);
        };
        let preview = if options.preview { "preview" } else { "" };
        let global = plan::global_fingerprint(site, compiled.key, preview);
        let settings = urgent::Settings {
            theme: &compiled.theme,
            preview: options.preview,
            global,
        };
        let Ok((files, pending)) =
            urgent::render(site, sources, rendering, &settings, urgent, &mut run)
        else {
            return Err(run.diagnostics);
        };
        run.timings.lap("render");
        Ok(Started {
            site,
            sources,
            theme: &compiled.theme,
            rendering,
            preview: options.preview,
            global,
            run,
            files,
            pending,
        })
    }

    /// The model of the last run, if it got that far.
    pub fn site(&self) -> Option<&Site> {
        self.model.as_ref().map(|m| &m.site)
    }

    /// Ends the session, keeping the model of the last run.
    pub fn into_site(self) -> Option<Site> {
        self.model.map(|m| m.site)
    }
}
