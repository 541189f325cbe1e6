//! Watches the site's sources and reports, per debounced batch, what kind of change it was.
//! The debouncer merges an editor's write-rename-delete dance into one batch, so a save
//! triggers one rebuild, not three.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::load::is_ignored;

/// Folders whose contents feed a build (each watched recursively when it exists).
const SOURCE_DIRS: [&str; 4] = ["content", "static", "templates", "themes"];

/// What a batch of file events asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only stylesheets changed: the page can swap them without reloading.
    Css,
    /// Anything else: rebuild and reload.
    Full,
}

/// Keeps the watcher alive; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

/// Starts watching `root`; each relevant batch of changes arrives on the returned channel.
pub fn start(root: &Path, poll: bool) -> notify::Result<(Watcher, mpsc::Receiver<Change>)> {
    let (tx, rx) = mpsc::channel();
    let root_c = root.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Reads (the build's own, an editor opening a file) are not changes; without this
        // filter every build would trigger the next.
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect();
        if let Some(change) = classify(&root_c, &paths) {
            let _ = tx.send(change);
        }
    };
    let timeout = Duration::from_millis(100);
    let mut watcher = if poll {
        // Network drives, containers and some editors' saves are only seen by polling.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        Watcher::Poll(new_debouncer_opt(
            timeout,
            None,
            handler,
            RecommendedCache::new(),
            config,
        )?)
    } else {
        Watcher::Native(new_debouncer(timeout, None, handler)?)
    };
    let mut watch = |path: &Path, mode| match &mut watcher {
        Watcher::Native(d) => d.watch(path, mode),
        Watcher::Poll(d) => d.watch(path, mode),
    };
    // The root non-recursively, so a config.yaml replaced by rename (atomic save) is seen.
    watch(root, RecursiveMode::NonRecursive)?;
    for dir in SOURCE_DIRS {
        let dir = root.join(dir);
        if dir.is_dir() {
            watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok((watcher, rx))
}

/// Decides what `paths` (absolute, from the watcher) mean for the site, or `None` when none of
/// them is a source (editor temp files, `public/`, other files in the root).
pub fn classify(root: &Path, paths: &[PathBuf]) -> Option<Change> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut any = false;
    let mut only_css = true;
    for path in paths {
        let rel = path
            .strip_prefix(&canonical)
            .or_else(|_| path.strip_prefix(root))
            .unwrap_or(path);
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
        any = true;
        let css = rel.extension().is_some_and(|e| e == "css")
            && first.is_some_and(|f| f == "static" || f == "themes");
        only_css &= css;
    }
    any.then_some(if only_css { Change::Css } else { Change::Full })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changes() {
        let root = Path::new("/nonexistent-site");
        let c = |ps: &[&str]| {
            let paths: Vec<PathBuf> = ps.iter().map(|p| root.join(p)).collect();
            classify(root, &paths)
        };
        assert_eq!(c(&["content/a.md"]), Some(Change::Full));
        assert_eq!(c(&["config.yaml"]), Some(Change::Full));
        assert_eq!(c(&["static/site.css"]), Some(Change::Css));
        assert_eq!(
            c(&["themes/t/static/x.css", "content/a.md"]),
            Some(Change::Full)
        );
        assert_eq!(c(&["content/.a.md.swp", "content/a.md~"]), None);
        assert_eq!(c(&["public/index.html", "notes.txt"]), None);
    }
}
