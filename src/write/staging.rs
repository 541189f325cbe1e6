//! A new site assembled beside the old one, then swapped in whole.
//!
//! `sheaf build` streams: each batch of rendered files is written here as soon as it is
//! rendered and dropped from memory, so a build never holds the whole site (a 10,000-page
//! site is about 450 MB of HTML). Nothing touches the output folder until [`Staging::commit`].
//!
//! What makes it safe:
//! - **One writer per output folder.** A lock file beside the output (`.<name>.sheaf-lock`)
//!   is held from [`Staging::begin`] until the staging folder is gone. A second build of the
//!   same output waits; without the lock it would remove the first one's staging folder
//!   as stale, and the first would swap in half a site.
//! - **The swap is one step.** `renameat2(RENAME_EXCHANGE)` exchanges the staging folder and
//!   the output, so there is no moment at which the output is missing. A build killed at
//!   any point leaves either the old site or the new one. Where that call does not exist
//!   (macOS, Windows: it is Linux-only) or the file system cannot exchange, two renames are
//!   used: for a moment the output is missing, and a build killed in that moment leaves the
//!   old site beside it, which the next build puts back.
//! - **The lock file.** On Unix the holder removes it when done, and a build that took the
//!   lock checks it still holds the file at the path (device and inode). Elsewhere (Windows)
//!   the file stays beside the output, so every build locks the same file and no identity
//!   check is needed.
//! - **Unchanged files keep their mtime.** A file whose bytes equal the old output's is
//!   hard-linked from it instead of written, so deploy tools that compare timestamps (rsync,
//!   `aws s3 sync`) and the browser's cache see only what really changed.
//! - **Only sheaf's own folders are replaced.** The new site carries the marker file
//!   ([`super::MARKER`]); an old output without it is replaced only when every file in it
//!   is one the new site has too (see [`foreign_files`]), and a `.git` inside the output (a
//!   `gh-pages` worktree) is moved into the new site rather than deleted.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::OutputState;
use crate::diagnostic::{Diagnostic, Location};
use crate::output::{Contents, OutputFile};

/// A staging folder for one output folder, with the output's lock held.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Paths written so far: a later file of the same path (a static file over a generated
    /// one) replaces the earlier one rather than writing through it.
    written: HashSet<String>,
    /// Folders made so far in the staging folder (relative paths), so each is made once
    /// rather than looked up again for every file in it.
    folders: HashSet<PathBuf>,
    /// How many files were kept from the old output unchanged (hard-linked).
    unchanged: usize,
    /// Held until dropped: released after the staging folder is committed or removed.
    lock: File,
    /// Removed on drop on Unix; kept elsewhere (see `still_at`).
    #[cfg_attr(not(unix), allow(dead_code))]
    lock_path: PathBuf,
    committed: bool,
    /// What was at the output path when the build began.
    state: OutputState,
}

/// What `begin` prints when another build holds the lock, so a wait is never silent.
pub(super) type OnWait<'a> = &'a dyn Fn(&Path);

impl Staging {
    /// Takes the output's lock (waiting for another build of it to finish), cleans up
    /// after killed builds, and creates an empty staging folder.
    /// `state` is what [`super::check_output_dir`] found there.
    pub(crate) fn begin(
        output: &Path,
        state: OutputState,
        on_wait: OnWait,
    ) -> Result<Staging, Diagnostic> {
        let output = super::absolute(output);
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, e))?;
        let lock_path = parent.join(format!(".{name}.sheaf-lock"));
        let lock = lock(&lock_path, &|| on_wait(&output))?;
        recover(&parent, &name, &output);
        let dir = parent.join(format!(".{name}.sheaf-staging-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, e))?;
        Ok(Staging {
            output,
            dir,
            written: HashSet::new(),
            folders: HashSet::new(),
            unchanged: 0,
            lock,
            lock_path,
            committed: false,
            state,
        })
    }

    /// Writes one batch of files, in parallel. Within a batch and across batches, a later
    /// file of a path wins (the render plan's order).
    pub(crate) fn write(&mut self, files: &[OutputFile]) -> Result<(), Diagnostic> {
        // The last file of each path in this batch, in order.
        let mut seen = HashSet::with_capacity(files.len());
        let mut batch: Vec<&OutputFile> = files
            .iter()
            .rev()
            .filter(|f| seen.insert(f.path.as_str()))
            .collect();
        batch.reverse();
        let mut replacing = Vec::new();
        for file in &batch {
            if !self.written.insert(file.path.clone()) {
                replacing.push(file.path.as_str());
            }
        }
        for path in replacing {
            // Removed, never truncated: the earlier file may be a hard link into the old
            // output.
            let _ = fs::remove_file(self.dir.join(path));
        }
        self.make_folders(&batch)?;
        let unchanged = batch
            .par_iter()
            .map(|file| self.write_one(file))
            .try_fold(|| 0, |n, kept| kept.map(|kept| n + usize::from(kept)))
            .try_reduce(|| 0, |a, b| Ok(a + b))
            .map_err(|(path, e)| io_error("write", &path, e))?;
        self.unchanged += unchanged;
        Ok(())
    }

    /// The output paths written so far.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.written.iter().map(String::as_str)
    }

    /// How many files so far had the same bytes as in the old output (their mtime kept).
    /// A file replaced later in the build may be counted although it was replaced.
    pub(crate) fn unchanged(&self) -> usize {
        self.unchanged
    }

    /// Makes the folders `batch` writes into that earlier batches did not, each once and
    /// in parallel (a tag's files share their folders: per file, that was a lookup of the
    /// folder for every file and a failed `mkdir` for most).
    fn make_folders(&mut self, batch: &[&OutputFile]) -> Result<(), Diagnostic> {
        let mut new = Vec::new();
        for file in batch {
            let relative = checked_relative(&file.path)
                .map_err(|(path, e)| io_error("write", &self.dir.join(path), e))?;
            if let Some(folder) = relative.parent()
                && !folder.as_os_str().is_empty()
                && self.folders.insert(folder.to_path_buf())
            {
                new.push(folder.to_path_buf());
            }
        }
        new.par_iter()
            .try_for_each(|folder| {
                let path = self.dir.join(folder);
                fs::create_dir_all(&path).map_err(|e| (path, e))
            })
            .map_err(|(path, e)| io_error("create", &path, e))
    }

    /// Writes `file` into the staging folder (its folder made by `make_folders`); `true`
    /// when it was linked from the old output because its bytes are the same.
    fn write_one(&self, file: &OutputFile) -> Result<bool, (PathBuf, io::Error)> {
        let relative = checked_relative(&file.path)?;
        let path = self.dir.join(relative);
        // A fresh output has no old files to compare with (a cold build into a new folder
        // would look each one up in vain).
        if self.state != OutputState::Fresh {
            let old = self.output.join(relative);
            if same_bytes(&old, &file.contents) && fs::hard_link(&old, &path).is_ok() {
                return Ok(true);
            }
        }
        match &file.contents {
            Contents::Bytes(bytes) => {
                let mut f = File::create(&path).map_err(|e| (path.clone(), e))?;
                f.write_all(bytes).map_err(|e| (path.clone(), e))?;
            }
            Contents::Packed(packed) => {
                let mut f = File::create(&path).map_err(|e| (path.clone(), e))?;
                f.write_all(&packed.unpack())
                    .map_err(|e| (path.clone(), e))?;
            }
            Contents::Copy(from) => {
                fs::copy(from, &path).map_err(|e| (from.clone(), e))?;
            }
        }
        Ok(false)
    }

    /// Puts the staging folder in place of the output, in one step where the file system
    /// allows, and removes the old site. Refuses (and writes nothing) when the old output
    /// is an unmarked folder holding files the new site does not have.
    pub(crate) fn commit(mut self) -> Result<(), Diagnostic> {
        let marker = self.dir.join(super::MARKER);
        fs::write(&marker, super::MARKER_TEXT).map_err(|e| io_error("write", &marker, e))?;
        if self.state == OutputState::Unmarked {
            let foreign = foreign_files(&self.output, &self.written);
            if !foreign.is_empty() {
                return Err(super::foreign_files_error(&self.output, &foreign));
            }
        }
        // A repository inside the output (a `gh-pages` worktree) survives the swap.
        let old_git = self.output.join(".git");
        let kept_git = self.state != OutputState::Fresh
            && old_git.symlink_metadata().is_ok()
            && fs::rename(&old_git, self.dir.join(".git")).is_ok();
        if let Err(e) = swap_in(&self.dir, &self.output) {
            if kept_git {
                let _ = fs::rename(self.dir.join(".git"), &old_git);
            }
            return Err(io_error("replace", &self.output, e));
        }
        self.committed = true;
        // After an exchange the staging path holds the old site; after two renames it is
        // gone and the old site was already removed.
        let _ = fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

/// The files of an unmarked old output that the new site (`written`) would delete: all of
/// them but the new site's own paths, `.git`, and files the new site has under another
/// content hash (a fingerprinted stylesheet `style.1a2b3c4d.css`, a social card
/// `cards/<hash>.png`), which a `public/` written before the marker existed holds.
fn foreign_files(output: &Path, written: &HashSet<String>) -> Vec<String> {
    let renamed: HashSet<String> = written.iter().map(|p| unhashed(p)).collect();
    let mut foreign = Vec::new();
    let walker = walkdir::WalkDir::new(output)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".git"));
    for entry in walker {
        let Ok(entry) = entry else {
            foreign.push("(an unreadable entry)".to_string());
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(output) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if written.contains(&rel) || renamed.contains(&unhashed(&rel)) {
            continue;
        }
        foreign.push(rel);
    }
    foreign
}

/// `path` without the content hash a build puts in some names: `a/style.1a2b3c4d.css` is
/// `a/style.css`, every `cards/<hash>.png` is `cards/*.png`.
fn unhashed(path: &str) -> String {
    if path.starts_with(crate::output::CARDS_DIR) && path.ends_with(".png") {
        return "cards/*.png".into();
    }
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let parts: Vec<&str> = name.split('.').collect();
    let is_hash = |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if parts.len() >= 3 && is_hash(parts[parts.len() - 2]) {
        let mut kept = parts.clone();
        kept.remove(parts.len() - 2);
        return format!("{dir}/{}", kept.join("."));
    }
    path.to_string()
}

impl Drop for Staging {
    /// A build that failed or was abandoned removes its half-written site.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        // Removed while still held, so nothing is left beside the output; a build waiting
        // on this file sees it was removed and takes a new one (see `lock`). Without a
        // portable file identity to check that with, other systems keep the file.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.lock_path);
        let _ = self.lock.unlock();
    }
}

/// Takes the lock file at `path`, calling `on_wait` first if another build holds it. The
/// holder removes the file when done, so a lock taken on a file that is no longer at
/// `path` protects nothing: try again with a new one.
fn lock(path: &Path, on_wait: &dyn Fn()) -> Result<File, Diagnostic> {
    let mut waited = false;
    loop {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| io_error("create", path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                if !waited {
                    on_wait();
                    waited = true;
                }
                file.lock().map_err(|e| io_error("lock", path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error("lock", path, e)),
        }
        if still_at(&file, path)? {
            return Ok(file);
        }
    }
}

/// Whether the locked `file` is still the one at `path` (the holder before us may have
/// removed it, and a third build created a new one).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> Result<bool, Diagnostic> {
    use std::os::unix::fs::MetadataExt;
    let held = file.metadata().map_err(|e| io_error("lock", path, e))?;
    Ok(fs::metadata(path)
        .is_ok_and(|at_path| (at_path.dev(), at_path.ino()) == (held.dev(), held.ino())))
}

/// Elsewhere the lock file is never removed (see `Drop for Staging`), so the file at
/// `path` is the one every build locks.
#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> Result<bool, Diagnostic> {
    Ok(true)
}

/// `path` as a path inside the output folder. Paths come from slugs and validated names;
/// this guards the invariant anyway.
fn checked_relative(path: &str) -> Result<&Path, (PathBuf, io::Error)> {
    let relative = Path::new(path);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err((
            relative.to_path_buf(),
            io::Error::other("path leaves the output folder"),
        ));
    }
    Ok(relative)
}

/// Whether the file at `old` holds exactly `contents`. Sizes first: most changed files
/// differ in size, and then nothing is read.
fn same_bytes(old: &Path, contents: &Contents) -> bool {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    match contents {
        Contents::Bytes(bytes) => {
            meta.len() == bytes.len() as u64 && fs::read(old).is_ok_and(|b| b[..] == bytes[..])
        }
        Contents::Packed(packed) => {
            let bytes = packed.unpack();
            meta.len() == bytes.len() as u64 && fs::read(old).is_ok_and(|b| b == bytes)
        }
        Contents::Copy(from) => {
            fs::metadata(from).is_ok_and(|m| m.len() == meta.len()) && same_files(old, from)
        }
    }
}

/// Compares two files a block at a time (copied files may be large).
fn same_files(a: &Path, b: &Path) -> bool {
    let (Ok(mut a), Ok(mut b)) = (File::open(a), File::open(b)) else {
        return false;
    };
    let mut x = vec![0; 64 * 1024];
    let mut y = vec![0; 64 * 1024];
    loop {
        let (Ok(n), Ok(m)) = (fill(&mut a, &mut x), fill(&mut b, &mut y)) else {
            return false;
        };
        if n != m || x[..n] != y[..m] {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

/// Reads until `buf` is full or the file ends; how many bytes were read.
fn fill(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Exchanges `staging` and `output`; where that is not possible (no output yet, not Linux,
/// or a file system without `RENAME_EXCHANGE`), renames instead.
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    #[cfg(target_os = "linux")]
    match rustix::fs::renameat_with(
        rustix::fs::CWD,
        staging,
        rustix::fs::CWD,
        output,
        rustix::fs::RenameFlags::EXCHANGE,
    ) {
        Ok(()) => return Ok(()),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
        Err(e) => return Err(e.into()),
    }
    swap_by_renames(staging, output)
}

/// The portable swap: the output moves aside, the new site takes its place, the old one
/// goes. Between the two renames the output is missing; `recover` puts an old site left
/// aside by a killed build back.
fn swap_by_renames(staging: &Path, output: &Path) -> io::Result<()> {
    let old = aside(output);
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staging, output) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, output);
        return Err(e);
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Where the two-rename swap keeps the old site for a moment.
fn aside(output: &Path) -> PathBuf {
    output.with_file_name(format!(
        ".{}.sheaf-old-{}",
        output.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ))
}

/// Cleans up after builds that were killed (the lock is held, so none is running): their
/// staging folders go, and an old site moved aside by a two-rename swap that never
/// finished goes back in place if the output is missing.
fn recover(parent: &Path, name: &str, output: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut olds = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&format!(".{name}.sheaf-staging-")) {
            let _ = fs::remove_dir_all(entry.path());
        } else if file_name.starts_with(&format!(".{name}.sheaf-old-")) {
            olds.push(entry.path());
        }
    }
    for old in olds {
        if !output.exists() && fs::rename(&old, output).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(old);
    }
}

fn io_error(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display()))
        .at(Location::file_only(path))
        .help("check that the output folder is writable and the disk is not full; the previous output is unchanged")
}
