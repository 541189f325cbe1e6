//! The preview's in-memory site: the files of the last good build, keyed by output path, and
//! the one place a request path becomes a key. Requests are only ever answered from this map,
//! never from the file system, so no URL (`..`, `%2e%2e`, `\`, absolute paths) can read a file
//! outside the build output.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::build::{Rebuilt, Session};
use crate::diagnostic::Diagnostics;
use crate::output::{Contents, OutputFile};
use crate::packed::Packed;

/// Where the live-reload script, event stream and error list live, under the base path.
pub(super) const PREFIX: &str = "__sheaf/";

/// The output files of the last good build (the renderer already put the reload script
/// into every HTML page). The session packs its text files (`OutputFile::pack`), and they
/// are kept packed here too, so a 50,000-page preview holds its 1.3 GB of pages in about a
/// fifth of that; a request unpacks its file, through [`Recent`].
#[derive(Debug, Default, Clone)]
pub(crate) struct Files {
    map: HashMap<String, Stored>,
    recent: Arc<Mutex<Recent>>,
}

/// A file as the map holds it.
#[derive(Debug, Clone)]
enum Stored {
    Plain(File),
    Packed(Packed),
}

/// The files last unpacked for a request, so clients asking for one page at once share one
/// copy of it rather than each unpacking its own (issue #13's slow clients held a copy
/// each). Bounded by count and bytes; the newest always stays.
#[derive(Debug, Default)]
struct Recent {
    files: VecDeque<(String, Packed, File)>,
    bytes: usize,
}

impl Recent {
    const MAX_FILES: usize = 32;
    const MAX_BYTES: usize = 64 * 1024 * 1024;

    fn get_or_unpack(&mut self, key: &str, packed: &Packed) -> File {
        if let Some((_, _, file)) = self
            .files
            .iter()
            .find(|(k, p, _)| k == key && p.same_block(packed))
        {
            return file.clone();
        }
        let file = File::new(key, Bytes::from(packed.unpack()));
        self.bytes += file.bytes.len();
        self.files
            .push_front((key.to_string(), packed.clone(), file.clone()));
        while self.files.len() > 1
            && (self.files.len() > Self::MAX_FILES || self.bytes > Self::MAX_BYTES)
        {
            if let Some((_, _, old)) = self.files.pop_back() {
                self.bytes -= old.bytes.len();
            }
        }
        file
    }
}

/// One served file: its bytes, shared by every response that sends it (cloning is a
/// reference count, never a copy), and for an HTML page where its build number goes.
#[derive(Debug, Clone)]
pub(crate) struct File {
    pub bytes: Bytes,
    /// The offset of the closing quote of the reload script's URL, found once when the file
    /// is put in place rather than on every request.
    stamp_at: Option<usize>,
}

impl File {
    fn new(key: &str, bytes: Bytes) -> File {
        let stamp_at = if key.ends_with(".html") {
            memchr::memmem::find(&bytes, STAMP_NEEDLE).map(|at| at + STAMP_NEEDLE.len() - 1)
        } else {
            None
        };
        File { bytes, stamp_at }
    }

    /// The file as body chunks, with `?build=N` added to the reload script's URL in an HTML
    /// page (the renderer put the script in without it: the number belongs to the serving,
    /// not the rendering). The chunks are slices of the shared bytes plus the short stamp:
    /// a page is never copied per request. (It once was, whole, and 40 clients that did not
    /// read an 18 MB page held 40 copies: issue #13 item 11.)
    pub(crate) fn chunks(&self, build: u64) -> Vec<Bytes> {
        match self.stamp_at {
            Some(at) => vec![
                self.bytes.slice(..at),
                Bytes::from(format!("?build={build}")),
                self.bytes.slice(at..),
            ],
            None => vec![self.bytes.clone()],
        }
    }
}

/// What the renderer writes as the reload script's URL, up to its closing quote.
const STAMP_NEEDLE: &[u8] = b"__sheaf/live.js\"";

/// What one rebuild changes in the served files, gathered before the map is locked.
pub(crate) struct Update {
    put: Vec<(String, Stored)>,
    removed: Vec<String>,
    /// Files that could not be read (an image deleted between build and read, say).
    pub problems: Vec<String>,
}

impl Update {
    /// The changed files of a complete run, taken from the session.
    pub(crate) fn collect(session: &Session, rebuilt: &Rebuilt) -> Update {
        let files = rebuilt.changed.iter().filter_map(|p| session.file(p));
        Update::of(files, rebuilt.removed.clone())
    }

    /// `files` to put in place and `removed` paths to drop. Copied files (images, static
    /// files) are read now, so a later edit on disk cannot change what this build serves.
    pub(crate) fn of<'a>(
        files: impl Iterator<Item = &'a OutputFile>,
        removed: Vec<String>,
    ) -> Update {
        let mut put = Vec::new();
        let mut problems = Vec::new();
        for file in files {
            let stored = match &file.contents {
                Contents::Bytes(bytes) => Stored::Plain(File::new(&file.path, bytes.clone())),
                Contents::Packed(packed) => Stored::Packed(packed.clone()),
                Contents::Copy(from) => match std::fs::read(from) {
                    Ok(bytes) => Stored::Plain(File::new(&file.path, Bytes::from(bytes))),
                    Err(e) => {
                        problems.push(format!("cannot read {}: {e}", from.display()));
                        continue;
                    }
                },
            };
            put.push((file.path.clone(), stored));
        }
        Update {
            put,
            removed,
            problems,
        }
    }
}

impl Update {
    /// How many files it puts or removes.
    /// How many files the update writes (new or changed) and how many it removes.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.put.len(), self.removed.len())
    }
}

impl Files {
    pub(crate) fn apply(&mut self, update: Update) {
        for path in update.removed {
            self.map.remove(&path);
        }
        self.map.extend(update.put);
    }

    /// The file at `key`, unpacked.
    pub(crate) fn get(&self, key: &str) -> Option<File> {
        match self.map.get(key)? {
            Stored::Plain(file) => Some(file.clone()),
            Stored::Packed(packed) => {
                let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
                Some(recent.get_or_unpack(key, packed))
            }
        }
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// What a request path means.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// A key of the file map (which may not exist: then the 404 page).
    File(String),
    /// Same place with a trailing slash, or the base path itself.
    Redirect(String),
    /// Unsafe or outside the base path: always the 404 page.
    NotFound,
}

/// Turns a raw (still percent-encoded) request path into a map key. Decodes first, then
/// rejects `..` segments, backslashes and NUL, so encoded tricks are caught too.
pub(super) fn resolve(raw: &str, base_path: &str, files: &Files) -> Target {
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Target::NotFound;
    };
    if path.contains(['\\', '\0']) || path.split('/').any(|s| s == "..") {
        return Target::NotFound;
    }
    let Some(rel) = path.strip_prefix(base_path) else {
        // `/` or the base path without its slash: send the browser to the site.
        if path == "/" || format!("{path}/") == base_path {
            return Target::Redirect(base_path.to_string());
        }
        return Target::NotFound;
    };
    let segments: Vec<&str> = rel
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let joined = segments.join("/");
    if rel.is_empty() || rel.ends_with('/') {
        let key = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return Target::File(key);
    }
    if !files.contains(&joined) && files.contains(&format!("{joined}/index.html")) {
        return Target::Redirect(format!("{base_path}{joined}/"));
    }
    Target::File(joined)
}

/// One build error as the browser overlay shows it.
#[derive(Debug, Serialize)]
pub(super) struct ErrorJson {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The whole error as the terminal shows it, without colour.
    pub text: String,
}

/// The errors of a failed build, as the JSON the overlay reads (`[]` when none).
pub(super) fn errors_json(diagnostics: &Diagnostics) -> String {
    let errors: Vec<ErrorJson> = diagnostics
        .clone()
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| ErrorJson {
            message: d.message.clone(),
            file: d.location.as_ref().map(|l| l.file.display().to_string()),
            line: d.location.as_ref().map(|l| l.line),
            column: d.location.as_ref().map(|l| l.column),
            text: d.render(false),
        })
        .collect();
    serde_json::to_string(&errors).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(keys: &[&str]) -> Files {
        Files {
            map: keys
                .iter()
                .map(|k| (k.to_string(), Stored::Plain(File::new(k, Bytes::new()))))
                .collect(),
            recent: Arc::default(),
        }
    }

    #[test]
    fn resolves_under_the_base_path() {
        let f = files(&["index.html", "essays/a/index.html", "style.css"]);
        let r = |p| resolve(p, "/sheaf/", &f);
        assert_eq!(r("/sheaf/"), Target::File("index.html".into()));
        assert_eq!(
            r("/sheaf/essays/a/"),
            Target::File("essays/a/index.html".into())
        );
        assert_eq!(
            r("/sheaf/essays/a"),
            Target::Redirect("/sheaf/essays/a/".into())
        );
        assert_eq!(r("/sheaf/style.css"), Target::File("style.css".into()));
        assert_eq!(r("/"), Target::Redirect("/sheaf/".into()));
        assert_eq!(r("/sheaf"), Target::Redirect("/sheaf/".into()));
        assert_eq!(r("/other/"), Target::NotFound);
    }

    #[test]
    fn pages_are_stamped_with_their_build_without_a_copy() {
        let html = Bytes::from_static(b"<head><script src=\"/s/__sheaf/live.js\" defer></script>");
        let page = File::new("a/index.html", html.clone());
        let chunks = page.chunks(7);
        assert_eq!(
            chunks.concat(),
            b"<head><script src=\"/s/__sheaf/live.js?build=7\" defer></script>"
        );
        // The page's own parts point into the shared bytes.
        let within = html.as_ptr_range();
        assert!(within.contains(&chunks[0].as_ptr()));
        assert!(within.contains(&chunks[2].as_ptr()));
        assert_eq!(
            File::new("a.html", Bytes::from_static(b"<p>"))
                .chunks(7)
                .concat(),
            b"<p>"
        );
        // Only HTML pages are stamped.
        assert_eq!(
            File::new("live.txt", html.clone()).chunks(7).concat(),
            &html[..]
        );
    }

    #[test]
    fn a_packed_page_is_served_whole_stamped_and_shared_by_requests_at_once() {
        let page = format!(
            "<head><script src=\"/s/__sheaf/live.js\" defer></script></head><body>{}</body>",
            "<p>A paragraph of the page.</p>".repeat(100)
        );
        let packed = |text: &str| OutputFile {
            path: "a/index.html".into(),
            contents: Contents::Packed(Packed::pack(text.as_bytes()).expect("packs")),
        };
        let mut files = Files::default();
        files.apply(Update::of([packed(&page)].iter(), Vec::new()));
        let (first, second) = (files.get("a/index.html"), files.get("a/index.html"));
        let (first, second) = (first.expect("served"), second.expect("served"));
        assert_eq!(first.bytes, page.as_bytes());
        assert_eq!(
            first.bytes.as_ptr(),
            second.bytes.as_ptr(),
            "one copy for both"
        );
        let stamped = String::from_utf8(first.chunks(3).concat()).unwrap_or_default();
        assert_eq!(stamped, page.replace("live.js\"", "live.js?build=3\""));
        // A rebuild's new page replaces the one unpacked before.
        let edited = page.replace("paragraph", "sentence");
        files.apply(Update::of([packed(&edited)].iter(), Vec::new()));
        assert_eq!(
            files.get("a/index.html").expect("served").bytes,
            edited.as_bytes()
        );
        files.apply(Update::of([].iter(), vec!["a/index.html".into()]));
        assert!(files.get("a/index.html").is_none());
    }

    #[test]
    fn recent_unpacked_files_stay_within_their_bounds() {
        let mut recent = Recent::default();
        let big = "<p>x</p>".repeat(1024 * 1024); // 8 MiB
        let packed = Packed::pack(big.as_bytes()).expect("packs");
        for i in 0..20 {
            recent.get_or_unpack(&format!("{i}.html"), &packed);
        }
        assert!(recent.bytes <= Recent::MAX_BYTES, "{}", recent.bytes);
        assert_eq!(recent.files.len(), Recent::MAX_BYTES / big.len());
        let small = Packed::pack("<p>y</p>".repeat(100).as_bytes()).expect("packs");
        for i in 0..100 {
            recent.get_or_unpack(&format!("s{i}.html"), &small);
        }
        assert_eq!(recent.files.len(), Recent::MAX_FILES);
    }

    #[test]
    fn rejects_traversal_in_every_spelling() {
        let f = files(&["index.html"]);
        for p in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2fconfig.yaml",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/%ff",
        ] {
            assert_eq!(resolve(p, "/", &f), Target::NotFound, "{p}");
        }
    }
}
