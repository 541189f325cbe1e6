//! The preview's search index: made again on a thread of its own once edits settle, from
//! the pages the last complete rebuild holds in memory, and served from memory like every
//! other file. Never on the reload's path: a save reloads the open page at once, and the
//! new index follows when it is ready (about as long as `sheaf build` takes to index).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::App;
use super::site::Update;
use crate::build::Session;
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

/// Starts the indexing thread; it ends when every sender is gone.
pub(super) fn start(app: Arc<App>, snapshots: Receiver<Snapshot>, quiet: bool) {
    std::thread::Builder::new()
        .name("preview search index".into())
        .spawn(move || run(&app, &snapshots, quiet))
        .map(drop)
        .unwrap_or_else(|e| eprintln!("warning: search is not available in the preview: {e}"));
}

/// A channel for snapshots.
pub(super) fn channel() -> (Sender<Snapshot>, Receiver<Snapshot>) {
    std::sync::mpsc::channel()
}

fn run(app: &App, snapshots: &Receiver<Snapshot>, quiet: bool) {
    // The bundle's paths now served, to remove those a new index no longer has.
    let mut served: HashSet<String> = HashSet::new();
    let mut last = false;
    while let (false, Ok(mut latest)) = (last, snapshots.recv()) {
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
        let files = match latest {
            None => Vec::new(),
            Some(pages) => match search::index(pages) {
                Ok((files, unread)) => {
                    if !quiet {
                        for warning in unread {
                            eprintln!("{}\n", warning.render(false));
                        }
                    }
                    files
                }
                Err(e) => {
                    eprintln!("{}\n", e.render(false));
                    continue;
                }
            },
        };
        let now: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let removed: Vec<String> = served.difference(&now).cloned().collect();
        let update = Update::of(files.iter(), removed);
        let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
        current.files.apply(update);
        drop(current);
        served = now;
    }
}
