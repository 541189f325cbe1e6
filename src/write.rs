//! Stage 4: putting the rendered site on disk without ever damaging the previous one.
//!
//! Files are written to a staging folder beside the output; only when all are written is
//! the staging folder swapped in. A crash or error before the swap leaves the old output
//! untouched (the stale staging folder is removed by the next build).

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location};
use crate::render::assets::{Contents, OutputFile};

/// Refuses output folders whose replacement would destroy the site or more.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
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
    for source in ["content", "templates", "static", "themes"] {
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
    Ok(())
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

/// Writes `files` to a staging folder, then swaps it in place of `output`.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let output = absolute(output);
    let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let io_error = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display()))
            .at(Location::file_only(path))
            .help("check that the output folder is writable and the disk is not full; the previous output is unchanged")
    };
    std::fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, e))?;
    let staging = parent.join(format!(".{name}.sheaf-staging-{}", std::process::id()));
    remove_stale(&parent, &name);
    std::fs::create_dir_all(&staging).map_err(|e| io_error("create", &staging, e))?;
    let result = files
        .par_iter()
        .try_for_each(|file| write_one(&staging, file).map_err(|(p, e)| io_error("write", &p, e)));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, &output).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staging);
        io_error("replace", &output, e)
    })
}

fn write_one(staging: &Path, file: &OutputFile) -> Result<(), (PathBuf, std::io::Error)> {
    let relative = Path::new(&file.path);
    // Paths come from slugs and validated names; this guards the invariant anyway.
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err((
            relative.to_path_buf(),
            std::io::Error::other("path leaves the output folder"),
        ));
    }
    let path = staging.join(relative);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    }
    match &file.contents {
        Contents::Bytes(bytes) => {
            let mut f = std::fs::File::create(&path).map_err(|e| (path.clone(), e))?;
            f.write_all(bytes).map_err(|e| (path.clone(), e))?;
        }
        Contents::Copy(from) => {
            std::fs::copy(from, &path).map_err(|e| (from.clone(), e))?;
        }
    }
    Ok(())
}

/// Puts `staging` where `output` is. The old output is first moved aside, then removed.
fn swap_in(staging: &Path, output: &Path) -> std::io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    let old = output.with_file_name(format!(
        ".{}.sheaf-old-{}",
        output.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::rename(output, &old)?;
    if let Err(e) = std::fs::rename(staging, output) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old, output);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Removes staging and old folders left by builds that were killed.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let stale = file_name.starts_with(&format!(".{name}.sheaf-staging-"))
            || file_name.starts_with(&format!(".{name}.sheaf-old-"));
        if stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content")).is_err());
        assert!(check_output_dir(&root, &root.join("content/x")).is_err());
        assert!(check_output_dir(&root, Path::new("/")).is_err());
        assert!(check_output_dir(&root, &root.join("public/../")).is_err());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
