//! The second half of a run, reachable only through the handle `Session::start` returns:
//! everything planned and rendered, then kept (`finish`, the live preview's step two) or
//! streamed to a sink (`finish_into`, `sheaf build`).

use std::collections::HashSet;
use std::convert::Infallible;

use rayon::prelude::*;

use super::{CARD_CACHE_DIR, Rendering, Run};
use crate::build::outputs::OutputStore;
use crate::build::run::{Pending, Ready, Rebuilt, Steer};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context;
use crate::render::plan::{self, Job, Planned};
use crate::render::reads::Current;
use crate::render::{self, Renderer, Theme};

/// Where a streaming build's files go (`Started::finish_into`): each batch with the site
/// it was rendered from.
pub(crate) type Sink<'s> = dyn FnMut(&Site, &[OutputFile]) -> Result<(), Diagnostic> + 's;

/// How many jobs `finish_unless` renders between two looks at its stop condition (about
/// 50 ms of work on this project's 2-core machines).
const STOP_CHECK_JOBS: usize = 256;

/// How many files a streaming build (`finish_into`) renders, about, before handing them to
/// the sink: a chunk's files are all in memory until then. Chunks are cut by the files
/// their jobs write, not by jobs, since jobs write from one file to 17 (a list part): 256
/// jobs of whole lists once held most of a 50,000-page build's peak, while cutting every 8
/// jobs left the cores waiting on the slowest job of each chunk.
const SINK_CHUNK_FILES: usize = 1024;

/// How many files a preview run renders, at least, for them to be packed as they are
/// rendered rather than after the run is answered.
const PACK_WHILE_RENDERING_FROM: usize = 8192;

/// A run that [`Session::start`](super::Session::start) began: the urgent files are
/// rendered, the rest is pending. It borrows the session, so nothing else runs on it until
/// one of the `finish` methods, which consume it, ends the run. Dropping it abandons the
/// run (what it rendered is kept by key for the next).
///
/// A run cannot be finished that was not started:
///
/// ```compile_fail
/// # fn finish_alone(session: &mut sheaf::build::Session) {
/// session.finish(); // no such method: only `Started` finishes a run
/// # }
/// ```
pub struct Started<'s> {
    pub(super) site: &'s mut Site,
    /// Bodies the first step deferred are rendered by `finish`.
    pub(super) sources: &'s mut super::Sources,
    pub(super) theme: &'s Theme,
    pub(super) rendering: &'s mut Rendering,
    pub(super) preview: bool,
    /// What every output of this run depends on (see `plan::global_fingerprint`).
    pub(super) global: u64,
    pub(super) run: Run,
    pub(super) files: Vec<OutputFile>,
    pub(super) pending: Pending,
}

/// The writer saved again: `finish_unless` gave up.
struct Stopped;

impl Started<'_> {
    /// Output files rendered anew by this run so far (the urgent ones).
    pub fn files(&self) -> &[OutputFile] {
        &self.files
    }

    /// Output paths that are not up to date until the run finishes: requests for them
    /// should wait.
    pub fn pending(&self) -> &Pending {
        &self.pending
    }

    /// Warnings found so far.
    pub fn warnings(&self) -> &Diagnostics {
        &self.run.diagnostics
    }

    /// Plans every output, renders what `start` did not, and makes the result the
    /// session's output.
    pub fn finish(self) -> Result<Rebuilt, Diagnostics> {
        match self.render_rest(|_| None::<Infallible>, None, None)? {
            Ok(rebuilt) => Ok(rebuilt),
            Err(never) => match never {},
        }
    }

    /// Like [`Started::finish`], steered by the live preview: gives up (`Ok(None)`) as
    /// soon as `steer` says so (the writer saved again), and renders the files asked for
    /// meanwhile before the rest, handing them to `steer` at once. What was rendered so far
    /// is kept for the next run (it is keyed by its inputs).
    pub fn finish_unless(self, steer: &dyn Steer) -> Result<Option<Rebuilt>, Diagnostics> {
        let finished = self.render_rest(
            |planned| steer.stop(planned).then_some(Stopped),
            Some(steer),
            None,
        )?;
        Ok(finished.ok())
    }

    /// Renders everything and hands each batch of files to `sink` (in plan order: a later
    /// file of a path wins) instead of keeping them, so a build never holds the whole site
    /// in memory. The session keeps no output; a sink error stops the run.
    pub fn finish_into(self, sink: &mut Sink) -> Result<Rebuilt, Diagnostics> {
        match self.render_rest(|_| None::<Infallible>, None, Some(sink))? {
            Ok(rebuilt) => Ok(rebuilt),
            Err(never) => match never {},
        }
    }

    /// Renders every stale job, in chunks so that `stop` (told whether the plan is made)
    /// is honoured within one chunk's time, `Ok(Err(_))` when it was; between chunks, the
    /// files `early` was asked for go first.
    fn render_rest<B>(
        self,
        stop: impl Fn(bool) -> Option<B>,
        early: Option<&dyn Steer>,
        mut sink: Option<&mut Sink>,
    ) -> Result<Result<Rebuilt, B>, Diagnostics> {
        let Started {
            site,
            sources,
            theme,
            rendering,
            preview,
            global,
            mut run,
            ..
        } = self;
        match sources.finish_bodies(site, &mut run, &|| stop(false)) {
            Ok(Ok(())) => {}
            Ok(Err(stopped)) => return Ok(Err(stopped)),
            Err(super::Halt) => return Err(run.diagnostics),
        }
        let site: &Site = site;
        let (planned, now) = plan::plan(site, global);
        let contexts = context::build(&now, preview, &mut rendering.cards);
        let mut renderer = Renderer::new(site, theme, contexts, preview)
            .with_card_cache(&rendering.social_cards)
            .with_image_cache(&rendering.images);
        run.timings.lap("plan all");
        // In parallel: checking a job reads fingerprints that are made on first use (a
        // page's related list, its card), which on a re-assembled model is most of the
        // check's cost, and each is made once whichever thread asks first.
        let store = &rendering.store;
        let stale: Vec<&Planned> = planned
            .par_iter()
            .filter(|p| !store.is_fresh(&now, p))
            .collect();
        run.count_jobs(&planned, &stale);
        // A large preview run packs as it renders, so its files are never all held plain
        // at once (a first run at 50,000 pages would hold 1.5 GB); a save's few thousand
        // are answered first and packed after (`Session::pack_files`).
        let files: usize = stale.iter().map(|p| p.outputs).sum();
        renderer.pack_outputs = preview && files >= PACK_WHILE_RENDERING_FROM;
        if let Some(sink) = sink.as_mut() {
            let chunks = chunks_by_files(&stale, SINK_CHUNK_FILES);
            if let Err(errors) = stream(site, &now, &renderer, &chunks, sink) {
                return Err(run.fail(errors));
            }
        } else {
            // The stale jobs rendered so far (early ones included).
            let mut done: HashSet<u64> = HashSet::with_capacity(stale.len());
            for chunk in stale.chunks(STOP_CHECK_JOBS) {
                if let Some(stopped) = stop(true) {
                    rendering.store.prune(&planned);
                    return Ok(Err(stopped));
                }
                if let Some(steer) = early {
                    let wanted = Wanted {
                        site,
                        now: &now,
                        renderer: &renderer,
                        stale: &stale,
                    };
                    if let Err(errors) = wanted.render(steer, &mut rendering.store, &mut done) {
                        return Err(run.fail(errors));
                    }
                }
                let todo: Vec<&Planned> = chunk
                    .iter()
                    .filter(|p| !done.contains(&p.name))
                    .copied()
                    .collect();
                let jobs: Vec<Job> = todo.iter().map(|p| p.job).collect();
                let files = match render::run_jobs(&now, &renderer, &jobs) {
                    Ok(files) => files,
                    Err(errors) => return Err(run.fail(errors)),
                };
                for (p, files) in todo.into_iter().zip(files) {
                    rendering.store.insert(p, files);
                    done.insert(p.name);
                }
            }
        }
        run.timings.lap("render all");
        Ok(Ok(complete(run, rendering, &planned, sink.is_some())))
    }
}

/// What the files asked for during a run's second step are rendered from.
struct Wanted<'a, 's> {
    site: &'s Site,
    now: &'a Current<'s>,
    renderer: &'a Renderer<'a>,
    stale: &'a [&'a Planned],
}

impl Wanted<'_, '_> {
    /// Renders the stale jobs not yet `done` that write the files `steer` was asked for,
    /// then hands `steer` every such job's files (rendered now, earlier in the run, or
    /// still fresh from an earlier run).
    fn render(
        &self,
        steer: &dyn Steer,
        store: &mut OutputStore,
        done: &mut HashSet<u64>,
    ) -> Result<(), Vec<Diagnostic>> {
        let asked = steer.take_wanted();
        if asked.is_empty() {
            return Ok(());
        }
        let (found, absent) = plan::jobs_at_files(self.site, &asked);
        let names: HashSet<u64> = found.iter().map(|p| p.name).collect();
        let todo: Vec<&Planned> = self
            .stale
            .iter()
            .filter(|p| names.contains(&p.name) && !done.contains(&p.name))
            .copied()
            .collect();
        let jobs: Vec<Job> = todo.iter().map(|p| p.job).collect();
        let rendered = render::run_jobs(self.now, self.renderer, &jobs)?;
        for (p, rendered) in todo.into_iter().zip(rendered) {
            store.insert(p, rendered);
            done.insert(p.name);
        }
        let files = found.iter().flat_map(|p| store.files_of(p.name)).collect();
        let current = found
            .iter()
            .flat_map(|p| plan::output_paths(self.site, p.job))
            .collect();
        steer.publish(Ready {
            asked,
            files,
            current,
            absent,
        });
        Ok(())
    }
}

/// Renders `chunks` in order and hands each one's files to `sink`.
fn stream(
    site: &Site,
    now: &Current,
    renderer: &Renderer,
    chunks: &[&[&Planned]],
    sink: &mut Sink,
) -> Result<(), Vec<Diagnostic>> {
    for chunk in chunks {
        let jobs: Vec<Job> = chunk.iter().map(|p| p.job).collect();
        let batch: Vec<OutputFile> = render::run_jobs(now, renderer, &jobs)?
            .into_iter()
            .flat_map(|r| r.files)
            .collect();
        sink(site, &batch).map_err(|error| vec![error])?;
    }
    Ok(())
}

/// `jobs` cut into runs that each write about `files` files (a job writing more is a run of
/// its own), in order.
fn chunks_by_files<'p, 'j>(jobs: &'j [&'p Planned], files: usize) -> Vec<&'j [&'p Planned]> {
    let mut chunks = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, p) in jobs.iter().enumerate() {
        let writes = p.outputs.max(1);
        if count > 0 && count + writes > files {
            chunks.push(&jobs[start..i]);
            (start, count) = (i, 0);
        }
        count += writes;
    }
    if start < jobs.len() {
        chunks.push(&jobs[start..]);
    }
    chunks
}

impl Run {
    /// Counts the plan, the jobs about to be rendered and the ones reused (not those
    /// `start` rendered: they count as rendered).
    fn count_jobs(&mut self, planned: &[Planned], stale: &[&Planned]) {
        self.stats.jobs_planned = planned.len();
        self.stats.jobs_rendered += stale.len();
        let early = planned
            .iter()
            .filter(|p| self.rendered_keys.contains(&p.name))
            .count();
        self.stats.jobs_reused = planned.len().saturating_sub(stale.len() + early);
    }
}

/// Ends a run whose jobs are all rendered: the kept output (unless it went to a sink)
/// and the report.
fn complete(mut run: Run, rendering: &mut Rendering, planned: &[Planned], sunk: bool) -> Rebuilt {
    if let Some(error) = rendering.social_cards.store_error() {
        run.diagnostics.push(
            Diagnostic::warning(format!("{error}; social cards will be rendered again by the next build"))
                .help(format!("make {CARD_CACHE_DIR} in the site folder writable, or ignore this: the site itself is complete")),
        );
    }
    if let Some(error) = rendering.images.store_error() {
        run.diagnostics.push(
            Diagnostic::warning(format!("{error}; pictures will be resized again by the next build"))
                .help("make .sheaf-cache/images/ in the site folder writable, or ignore this: the site itself is complete"),
        );
    }
    let (changed, removed) = match sunk {
        true => Default::default(),
        false => rendering.store.complete(planned),
    };
    run.timings.lap("outputs");
    let cards = rendering.social_cards.renders();
    run.complete(changed, removed, cards)
}
