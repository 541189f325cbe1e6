//! Watches the site's sources and reports, per debounced batch, what kind of change it was.
//! The debouncer merges an editor's write-rename-delete dance into one batch, so a save
//! triggers one rebuild, not three.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::load::is_ignored;

/// Folders whose contents feed a build (each watched recursively when it exists).
const SOURCE_DIRS: [&str; 4] = ["content", "static", "templates", "themes"];

/// How long the watcher waits after a file event for more before reporting the batch. An
/// editor's save (write a temp file, rename it over the original, maybe delete a backup)
/// fires its events within a millisecond or two, so a short window still merges a save into
/// one rebuild; anything arriving later is folded into the next rebuild anyway. Every
/// millisecond here is a millisecond the writer waits for the browser.
const QUIET: Duration = Duration::from_millis(10);

/// One debounced batch of changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Batch {
    /// Only stylesheets changed: the page can swap them without reloading.
    pub css_only: bool,
    /// The source paths involved (absolute).
    pub paths: Vec<PathBuf>,
    /// The watcher lost events (queue overflow, an error): read everything again.
    pub rescan: bool,
}

impl Batch {
    /// Folds a later batch into this one (changes that arrived during a rebuild).
    pub(super) fn merge(&mut self, later: Batch) {
        self.css_only &= later.css_only;
        self.rescan |= later.rescan;
        self.paths.extend(later.paths);
    }
}

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watcher {
    /// Batches sent and not yet received: a rebuild in progress gives up on rendering a
    /// site that is already out of date.
    pub waiting: Arc<AtomicUsize>,
    inner: Inner,
    root: PathBuf,
    /// Source folders watched so far (one created after start is added by `watch_new_dirs`).
    watched: Vec<PathBuf>,
}

enum Inner {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    /// Starts watching source folders that did not exist until now (a `templates/` folder
    /// made while the server runs). Returns the ones added, whose files the caller should
    /// treat as changed.
    pub(super) fn watch_new_dirs(&mut self) -> Vec<PathBuf> {
        let mut added = Vec::new();
        for dir in SOURCE_DIRS {
            let dir = self.root.join(dir);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir.clone());
                added.push(dir);
            }
        }
        added
    }
}

/// Starts watching `root`; each relevant batch of changes arrives on the returned channel.
pub(super) fn start(root: &Path, poll: bool) -> notify::Result<(Watcher, mpsc::Receiver<Batch>)> {
    let (tx, rx) = mpsc::channel();
    let root_c = root.to_path_buf();
    let waiting = Arc::new(AtomicUsize::new(0));
    let counter = waiting.clone();
    // Counted before sending, so the count never says "nothing waiting" while a batch is.
    let send = move |batch: Batch| {
        counter.fetch_add(1, Ordering::SeqCst);
        if tx.send(batch).is_err() {
            counter.fetch_sub(1, Ordering::SeqCst);
        }
    };
    let handler = move |result: DebounceEventResult| {
        let events = match result {
            Ok(events) => events,
            Err(_) => {
                send(Batch {
                    css_only: false,
                    paths: Vec::new(),
                    rescan: true,
                });
                return;
            }
        };
        let rescan = events.iter().any(|e| e.event.need_rescan());
        // Reads (the build's own, an editor opening a file) are not changes; without this
        // filter every build would trigger the next.
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect();
        if let Some(mut batch) = classify(&root_c, paths) {
            batch.rescan |= rescan;
            send(batch);
        }
    };
    let tick = Some(QUIET / 4);
    let inner = if poll {
        // Network drives, containers and some editors' saves are only seen by polling.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        Inner::Poll(new_debouncer_opt(
            QUIET,
            tick,
            handler,
            RecommendedCache::new(),
            config,
        )?)
    } else {
        Inner::Native(new_debouncer(QUIET, tick, handler)?)
    };
    let mut watcher = Watcher {
        waiting,
        inner,
        root: root.to_path_buf(),
        watched: Vec::new(),
    };
    // The root non-recursively, so a config.yaml replaced by rename (atomic save) is seen,
    // and so is a source folder created later.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    watcher.watch_new_dirs();
    Ok((watcher, rx))
}

/// Keeps the source paths among `paths` (absolute, from the watcher), or `None` when none
/// of them is a source (editor temp files, `public/`, other files in the root).
pub(super) fn classify(root: &Path, paths: Vec<PathBuf>) -> Option<Batch> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut kept = Vec::new();
    let mut css_only = true;
    for path in paths {
        let rel = path
            .strip_prefix(&canonical)
            .or_else(|_| path.strip_prefix(root))
            .unwrap_or(&path);
        let Some(name) = rel.file_name() else {
            continue;
        };
        if is_ignored(name) {
            continue;
        }
        let first = rel.components().next().map(|c| c.as_os_str());
        let is_config = rel == Path::new(crate::config::CONFIG_FILE);
        let in_source = first.is_some_and(|f| SOURCE_DIRS.iter().any(|d| f == *d));
        if !is_config && !in_source {
            continue;
        }
        let css = rel.extension().is_some_and(|e| e == "css")
            && first.is_some_and(|f| f == "static" || f == "themes");
        css_only &= css;
        kept.push(path);
    }
    (!kept.is_empty()).then_some(Batch {
        css_only,
        paths: kept,
        rescan: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes() {
        let root = Path::new("/nonexistent-site");
        let c = |ps: &[&str]| {
            let paths: Vec<PathBuf> = ps.iter().map(|p| root.join(p)).collect();
            classify(root, paths).map(|b| (b.css_only, b.paths.len()))
        };
        assert_eq!(c(&["content/a.md"]), Some((false, 1)));
        assert_eq!(c(&["config.yaml"]), Some((false, 1)));
        assert_eq!(c(&["static/site.css"]), Some((true, 1)));
        assert_eq!(
            c(&["themes/t/static/x.css", "content/a.md"]),
            Some((false, 2))
        );
        assert_eq!(
            c(&["content/.a.md.swp", "content/a.md~", "content/b.md"]),
            Some((false, 1))
        );
        assert_eq!(c(&["content/.a.md.swp", "content/a.md~"]), None);
        assert_eq!(c(&["public/index.html", "notes.txt"]), None);
    }
}
