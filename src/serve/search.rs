//! The preview's search index: made again once edits settle, from the pages the last
//! complete rebuild holds in memory, by a child process (`search::child`: Pagefind's peak
//! memory goes when it exits) that this thread waits for, and served from memory like every
//! other file. Never on the reload's path: a save reloads the open page at once, and the
//! new index follows when it is ready (about as long as `sheaf build` takes to index). The
//! child is held still while the preview rebuilds, and goes on after; the pages saved
//! meanwhile are indexed next.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::App;
use super::site::Update;
use crate::build::Session;
use crate::search::child::{self, Indexed, Pause};
use crate::search::{self, Pages};

/// How long the pages must stay unchanged before they are indexed: a writer saving every
/// few seconds gets one index per pause, not one per save.
const SETTLE: Duration = Duration::from_millis(400);

/// What the indexing thread is sent after each complete rebuild: the pages to index, or
/// `None` when the site has search turned off (the served index goes).
pub(super) type Snapshot = Option<Pages>;

/// The pages of the session's last complete run, for the indexing thread (their bytes are
/// shared, not copied).
pub(super) fn snapshot(session: &Session) -> Option<Snapshot> {
    let site = session.site()?;
    Some(search::pages(site, session.files()))
}

/// What the indexing thread prints: nothing but errors (`quiet`), warnings too, or also a
/// line per index made (`verbose`).
#[derive(Clone, Copy)]
pub(super) struct Voice {
    pub quiet: bool,
    pub verbose: bool,
}

/// Starts the indexing thread; it ends when every sender is gone.
pub(super) fn start(app: Arc<App>, snapshots: Receiver<Snapshot>, voice: Voice) {
    std::thread::Builder::new()
        .name("preview search index".into())
        .spawn(move || run(&app, &snapshots, voice))
        .map(drop)
        .unwrap_or_else(|e| eprintln!("warning: search is not available in the preview: {e}"));
}

/// A channel for snapshots.
pub(super) fn channel() -> (Sender<Snapshot>, Receiver<Snapshot>) {
    std::sync::mpsc::channel()
}

fn run(app: &App, snapshots: &Receiver<Snapshot>, voice: Voice) {
    // The bundle's paths now served, to remove those a new index no longer has.
    let mut served: HashSet<String> = HashSet::new();
    // Whether children can index (not after one could not: this process does it then).
    let mut children = true;
    // The newest snapshot sent while an index was being made: only it is indexed next (each
    // snapshot holds every page of its build, so keeping them all grew with every save).
    let mut newest: Option<Snapshot> = None;
    loop {
        let mut latest = match newest.take() {
            Some(snapshot) => snapshot,
            None => match snapshots.recv() {
                Ok(snapshot) => snapshot,
                Err(_) => return,
            },
        };
        let mut last = false;
        loop {
            match snapshots.recv_timeout(SETTLE) {
                Ok(newer) => latest = newer,
                Err(RecvTimeoutError::Timeout) => break,
                // No more rebuilds (the watcher could not start): index this one, then end.
                Err(RecvTimeoutError::Disconnected) => {
                    last = true;
                    break;
                }
            }
        }
        let mut keep_newest = || {
            while let Ok(snapshot) = snapshots.try_recv() {
                newest = Some(snapshot);
            }
        };
        let files = match latest {
            None => Vec::new(),
            Some(pages) => {
                let started = std::time::Instant::now();
                let pause = &app.search_pause;
                match index(&pages, voice.quiet, &mut children, pause, &mut keep_newest) {
                    Some(files) => {
                        if voice.verbose {
                            let (count, ms) = (pages.len(), started.elapsed().as_millis());
                            let made = if children {
                                "a child process"
                            } else {
                                "this process"
                            };
                            println!("search index: {count} pages in {ms} ms, in {made}");
                        }
                        files
                    }
                    None if last => return,
                    None => continue,
                }
            }
        };
        let now: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let removed: Vec<String> = served.difference(&now).cloned().collect();
        let update = Update::of(files.iter(), removed);
        let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
        current.files.apply(update);
        drop(current);
        served = now;
        if last {
            return;
        }
    }
}

/// The bundle of `pages`: made in a child process (`search::child`), or in this one when
/// no child can (after which `children` is false, so the next index does not try).
/// `None` when it failed (the served index stays).
fn index(
    pages: &Pages,
    quiet: bool,
    children: &mut bool,
    pause: &Pause,
    meanwhile: &mut dyn FnMut(),
) -> Option<Vec<crate::output::OutputFile>> {
    if *children {
        match child::index(pages, quiet, pause, meanwhile) {
            Indexed::Files(files) => return Some(files),
            Indexed::Failed => return None,
            Indexed::Unavailable(why) => {
                *children = false;
                if !quiet {
                    eprintln!("note: the search index is made in this process: {why}");
                }
            }
        }
    }
    match search::index(pages) {
        Ok((files, unread)) => {
            if !quiet {
                for warning in unread {
                    eprintln!("{}\n", warning.render(false));
                }
            }
            Some(files)
        }
        Err(e) => {
            eprintln!("{}\n", e.render(false));
            None
        }
    }
}
