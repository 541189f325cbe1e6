//! The words of a build session's runs: what changed, what must be ready first, and what
//! a run reports back (see `session.rs`).

use std::collections::HashSet;
use std::path::PathBuf;

use super::Timings;
use crate::diagnostic::Diagnostics;
use crate::output::OutputFile;

/// What changed since the last run.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Read everything again (the first run, or the watcher lost track).
    All,
    /// These paths (absolute, as the watcher reports them) were written, created or removed.
    Paths(Vec<PathBuf>),
}

/// Which output files must be rendered before [`Session::start`] returns; the rest wait
/// for [`Session::finish`].
pub enum Urgent {
    /// Everything (a build, or a preview with no page open).
    All,
    /// The files of the pages open in a browser (output paths like `essays/a/index.html`).
    Files(HashSet<String>),
}

/// Which files are out of date between `start` and `finish`.
#[derive(Debug, Clone)]
pub enum Pending {
    /// Every file but these (the urgent ones, now current).
    AllBut(HashSet<String>),
}

impl Pending {
    pub fn contains(&self, path: &str) -> bool {
        match self {
            Pending::AllBut(current) => !current.contains(path),
        }
    }
}

/// What [`Session::start`] did: the urgent files are rendered, the rest is pending.
pub struct Started {
    /// Output files rendered anew by this run so far.
    pub files: Vec<OutputFile>,
    /// Output paths that are not up to date until `finish`: requests for them should wait.
    pub pending: Pending,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// The outcome of one complete run (the model is `Session::site`).
pub struct Rebuilt {
    /// Output paths whose bytes may differ from the last complete run (all, the first time).
    pub changed: Vec<String>,
    /// Output paths the last complete run had and this one does not.
    pub removed: Vec<String>,
    /// How many jobs were rendered (the rest were reused).
    pub rendered: usize,
    pub warnings: Diagnostics,
    pub timings: Timings,
}
