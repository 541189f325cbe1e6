//! Stage 4: putting the rendered site on disk without ever damaging the previous one.
//!
//! Files are written to a staging folder beside the output; only when all are written is
//! the staging folder swapped in (`staging.rs`). A crash or error before the swap leaves
//! the old output untouched, and the next build removes what the crashed one left.

mod staging;

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
#[cfg(test)]
use crate::output::{Contents, OutputFile};
pub(crate) use staging::Staging;

/// The file at the root of every output folder `sheaf build` writes. Its presence is what
/// lets a later build replace the folder whole: a folder without it may hold files sheaf
/// did not write (documents, a repository), and replacing it would delete them.
pub(crate) const MARKER: &str = ".sheaf-output";

/// What the marker file says to someone who finds it.
const MARKER_TEXT: &str = "This folder was written by sheaf (`sheaf build`). Every build replaces it whole:\n\
keep nothing else here. Delete this file and sheaf will refuse to write here again.\n";

/// What is at the output path before a build, as far as replacing it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputState {
    /// Nothing there, or an empty folder.
    Fresh,
    /// A folder holding the marker (or `--force` was given): ours to replace.
    Ours,
    /// A non-empty folder without the marker. It may be replaced only if every file in it
    /// is one the new build writes too (a `public/` from before the marker existed); that
    /// is decided when the new site is complete (`Staging::commit`).
    Unmarked,
}

/// Refuses output folders whose replacement would destroy the site or more, and tells
/// whether the folder is sheaf's own. `force` accepts a non-empty folder without the marker
/// (its files are deleted), never the dangerous places refused first.
pub(crate) fn check_output_dir(
    root: &Path,
    output: &Path,
    force: bool,
) -> Result<OutputState, Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site to `{}`: {why}",
            output.display()
        ))
        .help("choose a dedicated folder such as `public/` with --output"))
    };
    let root = absolute(root);
    let out = absolute(output);
    if out.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if out == root {
        return refuse("it is the site folder itself");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site folder");
    }
    for source in [
        "content",
        "templates",
        "static",
        "themes",
        ".git",
        ".github",
        ".sheaf-cache",
    ] {
        let dir = root.join(source);
        if out.starts_with(&dir) {
            return refuse(&format!("it is inside the site's {source}/ folder"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home) == out
    {
        return refuse("it is your home folder");
    }
    if out.exists() && !out.is_dir() {
        return refuse("it exists and is not a folder");
    }
    let Ok(mut entries) = std::fs::read_dir(&out) else {
        return Ok(OutputState::Fresh);
    };
    if entries.next().is_none() {
        return Ok(OutputState::Fresh);
    }
    if force || out.join(MARKER).is_file() {
        return Ok(OutputState::Ours);
    }
    Ok(OutputState::Unmarked)
}

/// The error for an unmarked output folder holding files the build would not write.
pub(crate) fn foreign_files_error(output: &Path, foreign: &[String]) -> Diagnostic {
    const SHOWN: usize = 5;
    let mut listed: Vec<String> = foreign
        .iter()
        .take(SHOWN)
        .map(|f| format!("`{f}`"))
        .collect();
    if foreign.len() > SHOWN {
        listed.push(format!("and {} more", foreign.len() - SHOWN));
    }
    Diagnostic::error(format!(
        "refusing to replace `{}`: it was not written by sheaf and holds files a build would delete: {}",
        output.display(),
        listed.join(", ")
    ))
    .at(crate::diagnostic::Location::file_only(output))
    .help(format!(
        "build into an empty or new folder with --output, or, if everything in it may be \
         deleted, run `sheaf build --force` once (sheaf then marks the folder with a `{MARKER}` \
         file and replaces it freely); nothing was written"
    ))
}

/// An absolute, lexically normalised path (the folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let joined = joined.canonicalize().unwrap_or(joined);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes `files` to a staging folder, then swaps it in place of `output` (a test's
/// shortcut; `sheaf build` streams through [`Staging`]).
#[cfg(test)]
fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let mut staging = Staging::begin(output, OutputState::Ours, &|_| {})?;
    staging.write(files)?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root, false).is_err());
        assert!(check_output_dir(&root, dir.path(), false).is_err());
        assert!(check_output_dir(&root, &root.join("content"), false).is_err());
        assert!(check_output_dir(&root, &root.join("content/x"), false).is_err());
        assert!(check_output_dir(&root, Path::new("/"), false).is_err());
        assert!(check_output_dir(&root, &root.join("public/../"), false).is_err());
        assert!(check_output_dir(&root, &root.join("public"), false).is_ok());
    }

    #[test]
    fn swap_replaces_and_failure_keeps_old() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let file = |p: &str, b: &str| OutputFile {
            path: p.into(),
            contents: Contents::Bytes(b.as_bytes().to_vec().into()),
        };
        write_site(
            &out,
            &[file("index.html", "one"), file("a/index.html", "a")],
        )
        .unwrap();
        write_site(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale files are gone");
        let bad = OutputFile {
            path: "x".into(),
            contents: Contents::Copy(dir.path().join("missing")),
        };
        assert!(write_site(&out, &[file("index.html", "three"), bad]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, ["public"]);
    }
}
