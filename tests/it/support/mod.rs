//! The harness every test module shares: the `sheaf` runner ([`run`]), the fixture site
//! builder ([`site`]), HTML read with html5gum ([`html`]), a running `sheaf serve`
//! ([`serve`]), and the small file and XML helpers below.
#![allow(dead_code)]

pub mod html;
pub mod run;
pub mod scenario;
pub mod serve;
pub mod site;
pub mod static_server;
pub mod text;

pub use run::{Run, sheaf};
pub use site::Site;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A site folder built where it is ([`Site::at`]) by [`build_fixture`], with what the build
/// printed; the output is the [`Site`]'s (`read`, `out_path`, `files`).
pub struct BuiltSite {
    site: Site,
    pub stdout: String,
    pub stderr: String,
}

impl std::ops::Deref for BuiltSite {
    type Target = Site;

    fn deref(&self) -> &Site {
        &self.site
    }
}

/// Run `sheaf build --root ROOT --output <temp>/public EXTRA_ARGS...` whatever the outcome;
/// the [`Site`] holds the temporary output folder.
pub fn try_build(root: &Path, extra_args: &[&str]) -> (Run, Site) {
    let site = Site::at(root);
    (site.build(extra_args), site)
}

/// Build the site at `root` (e.g. `fixture("feeds")`) with `extra_args`
/// (e.g. `["--base-url", "https://example.github.io/guide/"]`) into a fresh
/// temporary folder; panics with sheaf's output if the build fails.
pub fn build_fixture(root: &Path, extra_args: &[&str]) -> BuiltSite {
    let site = Site::at(root);
    let run = site.build_ok(extra_args);
    assert!(
        site.out.is_dir(),
        "sheaf build succeeded but wrote no {}",
        site.out.display()
    );
    BuiltSite {
        site,
        stdout: run.stdout,
        stderr: run.stderr,
    }
}

/// Copy a fixture site into a temporary folder, for tests that edit it.
pub fn copy_fixture(name: &str) -> TempDir {
    copy_site(&fixture(name))
}

/// Copy any site folder into a temporary folder, without its `.sheaf-cache/` (left by
/// tests that build the folder in place): a copy starts cold.
pub fn copy_site(from: &Path) -> TempDir {
    let tmp = tempfile::Builder::new()
        .prefix("sheaf-fixture-")
        .tempdir()
        .expect("create a temporary folder");
    copy_dir(from, tmp.path());
    tmp
}

/// Copies a folder recursively, leaving out any `.sheaf-cache/`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("mkdir {}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read_dir {}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_name() == ".sheaf-cache" {
            continue;
        }
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// Read a UTF-8 file, panicking with its path on failure.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Write a file, creating its parent folders.
pub fn write(path: impl AsRef<Path>, contents: &str) {
    write_bytes(path, contents.as_bytes());
}

/// Write a file's bytes, creating its parent folders.
pub fn write_bytes(path: impl AsRef<Path>, contents: &[u8]) {
    let path = path.as_ref();
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
    }
    fs::write(path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The text of every `<tag>…</tag>` element in `xml` (attributes allowed,
/// no nesting of the same tag), with the five XML entities and CDATA undone.
/// Enough for `<loc>`, `<lastmod>`, `<updated>`; not a general XML parser.
pub fn element_texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // Must be exactly this tag: `<loc>` or `<loc attr…>`, not `<location>`.
        if !after.starts_with('>') && !after.starts_with(char::is_whitespace) {
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else { break };
        if after[..gt].ends_with('/') {
            found.push(String::new());
            rest = &after[gt + 1..];
            continue;
        }
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        found.push(xml_text(&body[..end]));
        rest = &body[end + close.len()..];
    }
    found
}

/// Undo CDATA and the predefined and numeric XML character references.
pub fn xml_text(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(inner) = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        return inner.to_string();
    }
    unescape(raw)
}

/// Decode `&lt; &gt; &quot; &apos; &amp;` and `&#NN;` / `&#xNN;`.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').and_then(|semi| {
            let name = &tail[1..semi];
            let ch = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "amp" => Some('&'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every file under `root`, as sorted `/`-separated paths relative to it.
pub fn list_files(root: &Path) -> Vec<String> {
    snapshot_dir(root).into_keys().collect()
}

/// Every file under `dir` (relative, `/`-separated) with its bytes; empty if `dir` does
/// not exist.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.expect("directory entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                walk(&path, root, into);
            } else {
                let rel = path.strip_prefix(root).expect("under the root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let bytes =
                    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                into.insert(rel, bytes);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}
