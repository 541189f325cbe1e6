//! The fixture site: one fluent builder for every test that writes a site and builds it,
//! modelled on mdBook's `BookTest`.
//!
//! ```ignore
//! let site = Site::new()
//!     .config("title: T\nbase_url: https://example.org/\n")
//!     .page("essays/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\nHello.\n")
//!     .build();
//! assert!(site.read("essays/a/index.html").contains("Hello."));
//! ```
//!
//! The site lives in `<tmp>/site` and builds into `<tmp>/public`, so the folder beside the
//! output holds nothing else; the whole temporary folder goes when the [`Site`] is dropped.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::run::{Run, sheaf};
use super::{copy_dir, fixture, write_bytes};

/// A site being described: where it starts from and the files written over that.
#[must_use = "call .create() or .build()"]
pub struct SiteBuilder {
    prefix: String,
    from: Option<PathBuf>,
    files: Vec<(String, Vec<u8>)>,
}

impl SiteBuilder {
    /// The temporary folder's name prefix (`sheaf-<prefix>-…`), to tell tests' leftovers apart.
    pub fn prefix(mut self, prefix: &str) -> Self {
        self.prefix = format!("sheaf-{prefix}-");
        self
    }

    /// `config.yaml`.
    pub fn config(self, yaml: &str) -> Self {
        self.file("config.yaml", yaml)
    }

    /// A file under `content/`, e.g. `page("essays/a.md", …)`.
    pub fn page(self, rel: &str, text: &str) -> Self {
        self.file(&format!("content/{rel}"), text)
    }

    /// Any file, relative to the site's root (`templates/…`, `static/…`).
    pub fn file(mut self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        self.files
            .push((rel.to_string(), contents.as_ref().to_vec()));
        self
    }

    /// Writes the site and returns it, unbuilt.
    pub fn create(self) -> Site {
        let tmp = tempfile::Builder::new()
            .prefix(&self.prefix)
            .tempdir()
            .expect("create a temporary folder");
        let root = tmp.path().join("site");
        let out = tmp.path().join("public");
        match &self.from {
            Some(from) => copy_dir(from, &root),
            None => fs::create_dir_all(&root).expect("create the site folder"),
        }
        let site = Site { tmp, root, out };
        for (rel, contents) in &self.files {
            site.write(rel, contents);
        }
        site
    }

    /// Writes the site and builds it; panics with sheaf's output unless the build succeeds.
    pub fn build(self) -> Site {
        let site = self.create();
        site.build_ok(&[]);
        site
    }
}

/// A site on disk in a temporary folder, and its output once built.
pub struct Site {
    tmp: TempDir,
    /// The site's root (`--root`).
    pub root: PathBuf,
    /// The build's output folder (`--output`).
    pub out: PathBuf,
}

impl Site {
    /// An empty site: add `config`, `page` and `file`s.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> SiteBuilder {
        SiteBuilder {
            prefix: "sheaf-site-".to_string(),
            from: None,
            files: Vec::new(),
        }
    }

    /// A copy of `tests/fixtures/<name>` (without a `.sheaf-cache/`).
    pub fn fixture(name: &str) -> SiteBuilder {
        Site::copy_of(&fixture(name))
    }

    /// A copy of any site folder (without a `.sheaf-cache/`).
    pub fn copy_of(from: &Path) -> SiteBuilder {
        SiteBuilder {
            from: Some(from.to_path_buf()),
            ..Site::new()
        }
    }

    /// An existing site folder (a fixture, the repository's own guide), built where it is
    /// (nothing is copied: builds must not write into it, `.sheaf-cache/` aside) into a
    /// temporary output folder.
    pub fn at(root: &Path) -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("sheaf-test-")
            .tempdir()
            .expect("create a temporary folder");
        let out = tmp.path().join("public");
        Site {
            tmp,
            root: root.to_path_buf(),
            out,
        }
    }

    /// The temporary folder that holds the site (unless [`Site::at`]) and its output.
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    // ------------------------------------------------------------ the source

    /// A path in the site's source, from a root-relative one.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a source file, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        write_bytes(self.path(rel), contents.as_ref());
    }

    /// Replaces the first `from` in a source file with `to` (which must be there).
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = super::read(self.path(rel));
        assert!(text.contains(from), "{from:?} not in {rel}");
        self.write(rel, text.replacen(from, to, 1));
    }

    // ------------------------------------------------------------ building

    /// `sheaf build --root <site> --output <public> ARGS…`, not yet run.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = sheaf();
        cmd.arg("build")
            .arg("--root")
            .arg(&self.root)
            .arg("--output")
            .arg(&self.out)
            .args(args);
        cmd
    }

    /// Builds with `args`, whatever the outcome.
    pub fn build(&self, args: &[&str]) -> Run {
        Run::of(&mut self.command(args))
    }

    /// Builds with `args`; panics with sheaf's output unless it succeeded.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let run = self.build(args);
        assert!(run.success(), "sheaf build {args:?} failed\n{run}");
        run
    }

    // ------------------------------------------------------------ the output

    /// A path in the output, from a site-relative one (`/tags/` or `tags/rss.xml`).
    pub fn out_path(&self, rel: &str) -> PathBuf {
        self.out.join(rel.trim_start_matches('/'))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out_path(rel).exists()
    }

    /// An output file's text; panics with the output's file list if it is absent.
    pub fn read(&self, rel: &str) -> String {
        let path = self.out_path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "read {}: {e}; the output has {:#?}",
                path.display(),
                self.files()
            )
        })
    }

    /// Every output file, as sorted `/`-separated paths relative to the output.
    pub fn files(&self) -> Vec<String> {
        super::list_files(&self.out)
    }

    /// Every output `.html` file with its text.
    pub fn html_files(&self) -> Vec<(String, String)> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| {
                let html = self.read(&f);
                (f, html)
            })
            .collect()
    }

    /// Every output file with its bytes (empty when there is no output).
    pub fn output_bytes(&self) -> BTreeMap<String, Vec<u8>> {
        super::snapshot_dir(&self.out)
    }
}
