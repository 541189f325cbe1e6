//! The second half of a run: everything planned and rendered, then kept (`finish`,
//! the live preview's step two) or streamed to a sink (`build_into`, `sheaf build`).

use super::{CARD_CACHE_DIR, Deferred, Session};
use crate::build::run::{Changes, Rebuilt, Urgent};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context;
use crate::render::plan::{self, Job, Planned};
use crate::render::{self, Renderer};

/// Where a streaming build's files go (`Session::build_into`): each batch with the site
/// it was rendered from.
pub type Sink<'s> = dyn FnMut(&Site, &[OutputFile]) -> Result<(), Diagnostic> + 's;

/// How many jobs `finish_unless` renders between two looks at its stop condition (about
/// 50 ms of work on this project's 2-core machines).
const STOP_CHECK_JOBS: usize = 256;

impl Session {
    /// Plans every output, renders what `start` did not, and makes the result the
    /// session's output.
    pub fn finish(&mut self) -> Result<Rebuilt, Diagnostics> {
        match self.finish_unless(&|| false)? {
            Some(rebuilt) => Ok(rebuilt),
            None => Err(Diagnostics::new()),
        }
    }

    /// Like [`Session::finish`], but gives up (`Ok(None)`) as soon as `stop` says so: the
    /// live preview stops rendering a stale site when the writer has saved again. What
    /// was rendered so far is kept for the next run (it is keyed by its inputs).
    pub fn finish_unless(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Rebuilt>, Diagnostics> {
        self.finish_with(stop, None)
    }

    /// `sheaf build`: runs the whole pipeline and hands each batch of rendered files to
    /// `sink` (in plan order: a later file of a path wins) instead of keeping them, so a
    /// build never holds the whole site in memory. The session keeps no output; a sink
    /// error stops the build.
    pub fn build_into(&mut self, sink: &mut Sink) -> Result<Rebuilt, Diagnostics> {
        self.start(&Changes::All, &Urgent::All)?;
        match self.finish_with(&|| false, Some(sink))? {
            Some(rebuilt) => Ok(rebuilt),
            None => Err(Diagnostics::new()),
        }
    }

    fn finish_with(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
        mut sink: Option<&mut Sink>,
    ) -> Result<Option<Rebuilt>, Diagnostics> {
        let Some(deferred) = self.deferred.take() else {
            return Err(Diagnostics::new());
        };
        let Deferred {
            global,
            mut warnings,
            mut timings,
        } = deferred;
        let (Some(compiled), Some(model)) = (&self.theme, &self.model) else {
            return Err(warnings);
        };
        let site = &model.site;
        let (planned, now) = plan::plan(site, global);
        let contexts = context::build(&now, self.options.preview, &mut self.cards);
        let renderer = Renderer::new(site, &compiled.theme, contexts, self.options.preview)
            .with_card_cache(&self.social_cards);
        timings.lap("plan all");
        let stale: Vec<&Planned> = planned
            .iter()
            .filter(|p| !self.store.is_fresh(&now, p))
            .collect();
        // In chunks, so a stop request is honoured within one chunk's time.
        for chunk in stale.chunks(STOP_CHECK_JOBS) {
            if stop() {
                self.store.prune(&planned);
                return Ok(None);
            }
            let jobs: Vec<Job> = chunk.iter().map(|p| p.job).collect();
            let files = match render::run_jobs(&now, &renderer, &jobs) {
                Ok(files) => files,
                Err(errors) => {
                    warnings.extend(errors);
                    return Err(warnings);
                }
            };
            match sink.as_mut() {
                Some(sink) => {
                    let batch: Vec<OutputFile> = files.into_iter().flat_map(|r| r.files).collect();
                    if let Err(error) = sink(site, &batch) {
                        warnings.push(error);
                        return Err(warnings);
                    }
                }
                None => {
                    for (p, files) in chunk.iter().zip(files) {
                        self.store.insert(p, files);
                    }
                }
            }
        }
        timings.lap("render all");
        if let Some(error) = self.social_cards.store_error() {
            warnings.push(
                Diagnostic::warning(format!("{error}; social cards will be rendered again by the next build"))
                    .help(format!("make {CARD_CACHE_DIR} in the site folder writable, or ignore this: the site itself is complete")),
            );
        }
        let rendered = stale.len();
        let (changed, removed) = match sink {
            Some(_) => Default::default(),
            None => self.store.complete(&planned),
        };
        timings.lap("outputs");
        Ok(Some(Rebuilt {
            changed,
            removed,
            rendered,
            warnings,
            timings,
        }))
    }
}
