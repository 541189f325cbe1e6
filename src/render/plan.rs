//! What a site's output consists of, as jobs, and how a job is known between builds.
//!
//! Every output file comes from one [`Job`]: a kind (`kinds`) and an instance. A job is
//! known between builds by its **name** (its kind and the paths it writes), and is rendered
//! again unless the reads recorded when it was last rendered (`reads`) still give the same
//! answers: so editing one essay re-renders that page, the lists that show it (its section,
//! its tags, the home page), the feeds, and nothing else. A clean build runs the same plan
//! with nothing kept.

use std::collections::HashSet;

use rayon::prelude::*;

use super::Renderer;
pub(crate) use super::kinds::Bodies;
use super::kinds::{KINDS, Kind};
use super::reads::{Current, Reads, SiteView};
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::model::Site;
use crate::output::OutputFile;

/// One unit of rendering: a kind and an instance (an index into the current `Site`).
#[derive(Clone, Copy)]
pub(crate) struct Job {
    kind: &'static dyn Kind,
    id: usize,
}

impl Job {
    /// A job of a kind tests make up.
    #[cfg(test)]
    pub(crate) fn of(kind: &'static dyn Kind, id: usize) -> Job {
        Job { kind, id }
    }

    pub(crate) fn kind(&self) -> &'static dyn Kind {
        self.kind
    }

    pub(crate) fn id(&self) -> usize {
        self.id
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}({})", self.kind.name(), self.id)
    }
}

/// A job with its name: what the session keeps its files and reads under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Planned {
    pub job: Job,
    /// The job's kind and output paths, hashed: the same job in the next build has the
    /// same name (an instance's index may change; the paths it writes do not).
    pub name: u64,
    /// How many files it writes (a list job, one per page of its list).
    pub outputs: usize,
}

/// What rendering a job gave: its files, and what it read to make them.
pub(crate) struct Rendered {
    pub files: Vec<OutputFile>,
    pub(crate) reads: Reads,
}

impl Rendered {
    /// Whether everything the job read is unchanged on `now`.
    pub(crate) fn holds(&self, now: &Current) -> bool {
        self.reads.hold(now)
    }
}

/// The jobs of a site in output order (later files win a path), named, and the site as
/// it is now (what recorded reads are checked against). `global` fingerprints what every
/// template sees (see [`global_fingerprint`]).
pub(crate) fn plan(site: &Site, global: u64) -> (Vec<Planned>, Current<'_>) {
    let planned = jobs(site).into_iter().map(|job| named(site, job)).collect();
    (planned, Current::new(site, global))
}

fn named(site: &Site, job: Job) -> Planned {
    let paths = output_paths(site, job);
    let name = Fingerprint::new()
        .with(job.kind.name())
        .with(&paths)
        .finish();
    Planned {
        job,
        name,
        outputs: paths.len(),
    }
}

/// Every job of the site, in output order.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    KINDS
        .iter()
        .flat_map(|&kind| {
            let ids = kind.instances(site);
            ids.into_iter().map(move |id| Job { kind, id })
        })
        .collect()
}

/// The jobs that make `files` (output paths such as `essays/a/index.html`), plus the cheap
/// ones (see [`is_cheap`]) a freshly rendered page may need; and the pages among `files`
/// (`…index.html`) that no job makes, which will be 404s: the 404 page comes along then.
pub(crate) fn jobs_for_files(
    site: &Site,
    files: &HashSet<String>,
) -> (Vec<Planned>, HashSet<String>) {
    let mut jobs: Vec<Job> = Vec::new();
    for &kind in KINDS.iter().filter(|k| k.cheap()) {
        jobs.extend(kind.instances(site).into_iter().map(|id| Job { kind, id }));
    }
    let (found, absent) = jobs_at_files(site, files);
    let mut jobs: Vec<Planned> = jobs.into_iter().map(|job| named(site, job)).collect();
    jobs.extend(found);
    (jobs, absent)
}

/// The jobs that write `files`, each once (two open pages of one list part are one job),
/// with the 404 page's when a page is absent: no job makes it (the second set).
pub(crate) fn jobs_at_files(
    site: &Site,
    files: &HashSet<String>,
) -> (Vec<Planned>, HashSet<String>) {
    let mut jobs = Vec::new();
    let mut absent = HashSet::new();
    for file in files {
        match job_at_file(site, file) {
            Some(job) => jobs.push(job),
            None if file.ends_with("index.html") => {
                absent.insert(file.clone());
            }
            None => {}
        }
    }
    if !absent.is_empty() && !files.contains(NOT_FOUND) {
        jobs.extend(job_at_file(site, NOT_FOUND));
    }
    let mut seen = HashSet::new();
    let jobs = jobs
        .into_iter()
        .map(|job| named(site, job))
        .filter(|p| seen.insert(p.name))
        .collect();
    (jobs, absent)
}

/// The page static hosts (and the preview) answer a missing path with.
const NOT_FOUND: &str = "404.html";

/// The job that writes `file`, found from its path (`essays/a/index.html` is the page at
/// `/essays/a/`, `404.html` the one at `/404.html`, `rss.xml` the site's feeds).
fn job_at_file(site: &Site, file: &str) -> Option<Job> {
    KINDS.iter().find_map(|&kind| {
        Some(Job {
            kind,
            id: kind.at_file(site, file)?,
        })
    })
}

/// The Markdown bodies `jobs` show between them: `Bodies::All` as soon as one needs any
/// page's.
pub(crate) fn bodies_needed(site: &Site, jobs: &[Planned]) -> Bodies {
    let (mut pages, mut sections) = (Vec::new(), Vec::new());
    for p in jobs {
        match p.job.kind.bodies(site, p.job.id) {
            Bodies::None => {}
            Bodies::Some {
                pages: these,
                sections: those,
            } => {
                pages.extend(these);
                sections.extend(those);
            }
            Bodies::All => return Bodies::All,
        }
    }
    for list in [&mut pages, &mut sections] {
        list.sort_unstable();
        list.dedup();
    }
    Bodies::Some { pages, sections }
}

/// Jobs whose templates get page cards (lists of other pages).
pub(crate) fn shows_cards(job: Job) -> bool {
    job.kind.shows_cards()
}

/// The output files a job writes, known without rendering it (the live preview holds
/// requests for these while the job is pending).
pub(crate) fn output_paths(site: &Site, job: Job) -> Vec<String> {
    job.kind.outputs(site, job.id)
}

/// Renders one job from a recording view of `now`.
fn run(now: &Current, renderer: &Renderer, job: Job) -> Result<Rendered, Diagnostic> {
    let view = SiteView::new(now);
    let mut files = job.kind.render(renderer, &view, job.id)?;
    if renderer.pack_outputs {
        files.iter_mut().for_each(OutputFile::pack);
    }
    let reads = now.record(view.into_touches());
    Ok(Rendered { files, reads })
}

/// Renders jobs in parallel; every failure is reported, not just the first.
pub(crate) fn run_jobs(
    now: &Current,
    renderer: &Renderer,
    jobs: &[Job],
) -> Result<Vec<Rendered>, Vec<Diagnostic>> {
    let results: Vec<Result<Rendered, Diagnostic>> = jobs
        .par_iter()
        .map(|&job| run(now, renderer, job))
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(rendered) => outputs.push(rendered),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(outputs)
    } else {
        Err(diagnostics)
    }
}

/// What every output depends on: the config as loaded, the theme's files, the navigation,
/// and how the build was asked for (`extra` carries the caller's own inputs).
pub(crate) fn global_fingerprint(site: &Site, theme: u64, extra: &str) -> u64 {
    Fingerprint::new()
        .with(&format!("{:?}", site.config))
        .with(&site.selection.drafts)
        .with(&site.selection.future)
        .with(&theme)
        .with(&site.nav)
        .with(extra)
        .finish()
}
