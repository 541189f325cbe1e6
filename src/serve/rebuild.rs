//! The preview's rebuild thread. Each batch of changes runs in two steps:
//!
//! 1. `Session::start` renders what changed among the pages open in a browser; those files
//!    are swapped in, every other stale file is marked pending, and open pages are told to
//!    reload. A reload thus shows the new page as soon as it exists, however large the site.
//! 2. `Started::finish_unless`, on the handle `start` returned, renders the rest (lists,
//!    tags, feeds, pages nobody has open); the files are swapped in and pending requests,
//!    which waited, are answered.
//!
//! No request ever gets a stale file: one for a pending file waits for step 2.

use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;
use std::time::Instant;

use super::site::{self, Update};
use super::watch::{Batch, Watcher};
use super::{App, Push};
use crate::build::{self, Changes, Ready, Session, Steer, Urgent};
use crate::diagnostic::Diagnostics;

/// The preview's build session and how to report on it.
pub(super) struct Builder {
    pub(super) session: Session,
    pub(super) color: bool,
    pub(super) quiet: bool,
    pub(super) verbose: bool,
    /// The preview's search index thread (`search.rs`), told after each complete run.
    pub(super) search: std::sync::mpsc::Sender<super::search::Snapshot>,
}

impl Builder {
    /// Hands the pages of the last complete run to the search index thread.
    fn index_for_search(&self) {
        if let Some(snapshot) = super::search::snapshot(&self.session) {
            let _ = self.search.send(snapshot);
        }
    }

    fn report_success(
        &self,
        warnings: &Diagnostics,
        (changed, removed): (usize, usize),
        problems: &[String],
        started: Instant,
        first_step: Option<u128>,
    ) {
        if self.quiet {
            return;
        }
        build::report(warnings.clone(), self.color);
        for problem in problems {
            eprintln!("warning: {problem}");
        }
        let open = first_step
            .map(|ms| format!(" (open pages in {ms} ms)"))
            .unwrap_or_default();
        // Removed files are not among the site's files any more: counted apart, so a save
        // that drops pages never reads "80 of 76 files changed".
        let removed = match removed {
            0 => String::new(),
            n => format!(", {n} removed"),
        };
        println!(
            "built in {} ms{open}: {} of {} files changed{removed}",
            started.elapsed().as_millis(),
            changed,
            self.session.files().count(),
        );
        let _ = std::io::stdout().flush();
    }

    /// Prints the errors once and returns them as the overlay's JSON.
    fn report_failure(&self, diagnostics: Diagnostics) -> String {
        let json = site::errors_json(&diagnostics);
        let errors = build::report(diagnostics, self.color);
        let problems = if errors == 1 { "problem" } else { "problems" };
        if self.session.files().next().is_some() {
            eprintln!("error: {errors} {problems} found; still serving the last good build");
        } else {
            eprintln!("error: {errors} {problems} found; the site appears once they are fixed");
        }
        json
    }
}

/// Builds the site, then rebuilds on every batch of changes until the watcher goes away.
/// A page requested while pending (`App::wanted`) stops the run in progress, which goes on
/// after that page is rendered: so at start-up the first page a browser asks for is served
/// long before a large site is built.
pub(super) fn run(mut builder: Builder, watched: Option<(Watcher, Receiver<Batch>)>, app: &App) {
    let (mut watcher, changes) = match watched {
        Some((watcher, changes)) => (Some(watcher), Some(changes)),
        None => (None, None),
    };
    let waiting = watcher
        .as_ref()
        .map_or_else(Default::default, |w| w.waiting.clone());
    let received = || {
        waiting.fetch_sub(1, Ordering::SeqCst);
    };
    let saved_again = || waiting.load(Ordering::SeqCst) > 0;
    let mut next = Some((Changes::All, false));
    loop {
        let (request, css_only) = match next.take() {
            Some(first) => first,
            None if app.has_wanted() => (Changes::Paths(Vec::new()), false),
            None => {
                let Some(Ok(mut batch)) = changes.as_ref().map(Receiver::recv) else {
                    return;
                };
                received();
                // Changes that arrived during the last build are folded into this one.
                while let Some(Ok(more)) = changes.as_ref().map(Receiver::try_recv) {
                    received();
                    batch.merge(more);
                }
                // A source folder made since the last build is watched from now on, and its
                // files (already there when the watch began) count as changed.
                if let Some(watcher) = watcher.as_mut() {
                    batch.paths.extend(watcher.watch_new_dirs());
                }
                let request = if batch.rescan {
                    Changes::All
                } else {
                    Changes::Paths(batch.paths.clone())
                };
                (request, batch.css_only)
            }
        };
        app.search_pause.hold();
        let steering = Steering {
            app,
            saved_again: &saved_again,
        };
        rebuild(&mut builder, app, &request, css_only, &steering);
        app.search_pause.release();
    }
}

fn rebuild(
    builder: &mut Builder,
    app: &App,
    request: &Changes,
    css_only: bool,
    steering: &Steering,
) {
    let started = Instant::now();
    let mut open: HashSet<String> = app
        .open
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .keys()
        .cloned()
        .collect();
    let wanted_only = matches!(request, Changes::Paths(paths) if paths.is_empty());
    if !wanted_only {
        app.forget_unmade();
    }
    let asked = app.take_wanted();
    open.extend(asked.iter().cloned());
    // Step 1: the open pages.
    let first = match builder.session.start(request, &Urgent::Files(open)) {
        Ok(first) => first,
        Err(diagnostics) => {
            let errors = builder.report_failure(diagnostics);
            fail(app, errors);
            return;
        }
    };
    let first_ms = started.elapsed().as_millis();
    // A page of the last build that no job makes now (deleted, or a draft now) goes at
    // once: its URL is answered with the 404 page, not the old page until the run ends.
    let mut pending = first.pending().clone();
    let gone: Vec<String> = pending.absent.iter().cloned().collect();
    let update = Update::of(first.files().iter(), gone);
    let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
    let was_broken = current.errors != "[]";
    let first_build = current.build == 0;
    current.files.apply(update);
    app.unmade(asked, &pending.current);
    // A run with no changes follows one that was stopped for a requested page: what that
    // one rendered is still current.
    if wanted_only && let Some(before) = current.pending.take() {
        pending.extend(before);
    }
    current.pending = Some(pending);
    // A run made only for requested pages (no file changed) changes no page already served:
    // it keeps the build number, so no open tab reloads for it.
    if first_build || !wanted_only {
        current.build += 1;
    }
    current.errors = axum::body::Bytes::from_static(b"[]");
    drop(current);
    // Requests waiting for the pages just swapped in look again.
    app.settled.send_modify(|n| *n += 1);
    // After a failure the page needs a reload to drop the overlay; nothing shows the site
    // before its first build.
    let push = if css_only && !was_broken {
        Push::Css
    } else {
        Push::Reload
    };
    if (!first_build && !wanted_only) || was_broken {
        let _ = app.events.send(push);
    }

    // Step 2: everything else, unless the writer saved again meanwhile: then the next
    // rebuild (already waiting) does it, and pending files stay pending until it has.
    let finished = first.finish_unless(steering);
    let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
    let mut model = None;
    match finished {
        Ok(None) => return,
        Ok(Some(rebuilt)) => {
            let update = Update::collect(&builder.session, &rebuilt);
            let (changed, problems) = (update.counts(), update.problems.clone());
            current.files.apply(update);
            current.pending = None;
            // Asked for during the last chunk: current now, with everything else.
            app.take_wanted();
            drop(current);
            builder.report_success(
                &rebuilt.warnings,
                changed,
                &problems,
                started,
                Some(first_ms),
            );
            if builder.verbose {
                rebuilt.timings.print();
            }
            model = Some(rebuilt);
        }
        Err(diagnostics) => {
            current.pending = None;
            drop(current);
            let errors = builder.report_failure(diagnostics);
            fail(app, errors);
        }
    }
    app.settled.send_modify(|n| *n += 1);
    // After the waiting requests are answered, what nobody should wait for: packing the
    // files just rendered (a quarter of rendering's CPU), swapped in for the plain ones,
    // and listing the pages for the search index.
    if model.is_some() {
        let packed = builder.session.pack_files();
        if !packed.is_empty() {
            let files = packed.iter().filter_map(|path| builder.session.file(path));
            let update = Update::of(files, Vec::new());
            let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
            current.files.apply(update);
        }
        builder.index_for_search();
    }
    // Freeing a large model takes time nobody should wait for: last.
    drop(model);
}

/// The rebuild thread's hold on a run's second step: it gives up when the writer saved
/// again, and renders the pages and feeds asked for meanwhile before the rest, serving them
/// as soon as they are made (so a reader's click never waits for the whole site, nor makes
/// the run start over).
struct Steering<'a> {
    app: &'a App,
    saved_again: &'a (dyn Fn() -> bool + Sync),
}

impl Steer for Steering<'_> {
    fn stop(&self, planned: bool) -> bool {
        (self.saved_again)() || (!planned && self.app.has_wanted())
    }

    fn take_wanted(&self) -> HashSet<String> {
        self.app.take_wanted()
    }

    fn publish(&self, ready: Ready<'_>) {
        let gone: Vec<String> = ready.absent.iter().cloned().collect();
        let update = Update::of(ready.files.into_iter(), gone);
        let mut current = self.app.current.write().unwrap_or_else(|e| e.into_inner());
        current.files.apply(update);
        if let Some(pending) = current.pending.as_mut() {
            pending.current.extend(ready.current.iter().cloned());
            pending.absent.extend(ready.absent);
        }
        drop(current);
        self.app.unmade(ready.asked, &ready.current);
        self.app.settled.send_modify(|n| *n += 1);
    }
}

/// Keeps serving the last good files and shows the errors.
fn fail(app: &App, errors: String) {
    let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
    let event = super::http::error_event(errors.as_bytes());
    current.errors = axum::body::Bytes::from(errors);
    current.pending = None;
    drop(current);
    app.settled.send_modify(|n| *n += 1);
    let _ = app.events.send(Push::Error(event));
}
