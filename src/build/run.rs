//! The words of a build session's runs: what changed, what must be ready first, and what
//! a run reports back (see `session/`).

use std::collections::HashSet;
use std::path::PathBuf;

use super::Timings;
use crate::diagnostic::Diagnostics;

/// What changed since the last run.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Read everything again (the first run, or the watcher lost track).
    All,
    /// These paths (absolute, as the watcher reports them) were written, created or removed.
    Paths(Vec<PathBuf>),
}

/// Which output files [`Session::start`](super::Session::start) renders before it returns;
/// the rest wait for [`Started::finish`](super::Started::finish).
pub enum Urgent {
    /// Everything (a build, or a preview with no page open).
    All,
    /// The files of the pages open in a browser (output paths like `essays/a/index.html`).
    Files(HashSet<String>),
}

/// Which files are out of date between `start` and `finish`: every file but those the
/// urgent step made current, and but the urgent pages no job of the run makes.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    /// Files the urgent step rendered (or found fresh): current now.
    pub current: HashSet<String>,
    /// Urgent page files (`…index.html`) that no job of this run makes: they will not
    /// exist when it ends, so there is nothing to wait for (a URL that will be a 404
    /// is answered as soon as the plan is known, not after the whole build).
    pub absent: HashSet<String>,
}

impl Pending {
    pub fn contains(&self, path: &str) -> bool {
        !self.current.contains(path) && !self.absent.contains(path)
    }

    /// Adds what an earlier step of the same model knew (a run with no changes follows
    /// one stopped for a requested page: what that one rendered is still current).
    pub fn extend(&mut self, earlier: Pending) {
        self.current.extend(earlier.current);
        self.absent.extend(earlier.absent);
    }
}

/// How the live preview steers the second step of a run
/// ([`Started::finish_unless`](super::Started::finish_unless)): when to give up, and which
/// files readers asked for meanwhile, rendered before the rest of the run and handed over
/// at once. A run restarted for each request did its checks again; at 10,000 pages that
/// was most of a save's time once a browser asked for a few list pages and a feed.
pub trait Steer: Sync {
    /// Whether to give up the run: the writer saved again (the next run does it all).
    /// `planned` is false while the deferred bodies are still being rendered, when the
    /// files asked for cannot be found yet: a request then stops the run too, and the next
    /// run renders it first.
    fn stop(&self, planned: bool) -> bool;

    /// The files asked for since the last call (output paths), rendered next.
    fn take_wanted(&self) -> HashSet<String> {
        HashSet::new()
    }

    /// Files of this run ready before it ends (see [`Ready`]).
    fn publish(&self, _ready: Ready<'_>) {}
}

/// Any `Fn() -> bool` gives up when it says so and renders nothing early.
impl<F: Fn() -> bool + Sync> Steer for F {
    fn stop(&self, _planned: bool) -> bool {
        self()
    }
}

/// Files of a run ready before it ends (see [`Steer::publish`]).
pub struct Ready<'a> {
    /// The files asked for.
    pub asked: HashSet<String>,
    /// The output of the jobs that write them.
    pub files: Vec<&'a crate::output::OutputFile>,
    /// Every path those jobs write: up to date now.
    pub current: HashSet<String>,
    /// Pages asked for that no job makes: 404s now.
    pub absent: HashSet<String>,
}

/// What one complete run did and what it reused: the measure of incremental work (the
/// reuse tests hold a one-word edit, a template edit and a second build to these).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Markdown bodies (pages and sections) rendered, so parsed; the others were reused.
    pub bodies_rendered: usize,
    /// Code blocks highlighted, and found already highlighted (this session's memory or
    /// `.sheaf-cache/highlight`).
    pub code_blocks_highlighted: usize,
    /// Code blocks with a language, highlighted or found in the cache.
    pub code_blocks_found: usize,
    /// Jobs in the plan, rendered by this run (either step), and reused from earlier runs.
    pub jobs_planned: usize,
    /// Jobs rendered in this run.
    pub jobs_rendered: usize,
    /// Jobs whose files were kept from an earlier run.
    pub jobs_reused: usize,
    /// Social card images drawn (the others came from `.sheaf-cache/cards`).
    pub cards_drawn: usize,
    /// Whether the model was assembled anew (else an edit was patched into the last one).
    pub model_assembled: bool,
}

/// The outcome of one complete run (the model is `Session::site`).
pub struct Rebuilt {
    /// Output paths whose bytes may differ from the last complete run (all, the first time).
    pub changed: Vec<String>,
    /// Output paths the last complete run had and this one does not.
    pub removed: Vec<String>,
    /// What this run did and what it reused.
    pub stats: RunStats,
    /// Warnings of this run (errors stop a run and are returned instead).
    pub warnings: Diagnostics,
    /// Time spent per stage.
    pub timings: Timings,
}
