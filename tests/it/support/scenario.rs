//! A site copy edited step by step, each step's incremental rebuild compared with a clean
//! build byte for byte: the harness of `incremental.rs` and `list_parts.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sheaf::Contents;
use sheaf::{BuildOptions, Changes, Session, Urgent};
use tempfile::TempDir;

/// A site copy with a session that has followed every edit so far.
pub(crate) struct Scenario {
    pub(crate) site: TempDir,
    pub(crate) session: Session,
    steps: usize,
}

pub(crate) fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        drafts: true,
        future: false,
        base_url: Some("http://127.0.0.1:1111/sub/".into()),
        preview: true,
    }
}

/// Every output file's bytes, by path.
pub(crate) fn snapshot(session: &Session) -> BTreeMap<String, Vec<u8>> {
    session
        .files()
        .map(|f| {
            let bytes = match &f.contents {
                Contents::Copy(path) => fs::read(path).unwrap_or_default(),
                other => other.bytes().unwrap_or_default().to_vec(),
            };
            (f.path.clone(), bytes)
        })
        .collect()
}

impl Scenario {
    pub(crate) fn new(site: TempDir) -> Scenario {
        let mut session = Session::new(options(site.path()));
        if let Err(errors) = session.rebuild(&Changes::All) {
            panic!("the fixture does not build:\n{}", render(errors));
        }
        Scenario {
            site,
            session,
            steps: 0,
        }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from:?} is not in {rel}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }

    /// Rebuilds after `changed` and checks the result against a clean build. Steps take
    /// turns: a plain rebuild; the preview's way (two open pages first, then the rest);
    /// and the preview's way stopped half-way (the writer saved again) and then resumed
    /// by a run with no changes.
    pub(crate) fn step(&mut self, what: &str, changed: Vec<PathBuf>) {
        self.steps += 1;
        let changes = Changes::Paths(changed);
        let open = ["index.html", "essays/middle-ground/index.html"];
        let urgent = Urgent::Files(open.iter().map(|p| p.to_string()).collect());
        let incremental = match self.steps % 3 {
            0 => self.session.rebuild(&changes),
            1 => self
                .session
                .start(&changes, &urgent)
                .and_then(|started| started.finish()),
            _ => match self.session.start(&changes, &urgent) {
                Ok(started) => {
                    // Stops before its first job; with nothing left to render it completes.
                    let stopped = started.finish_unless(&|| true);
                    assert!(stopped.is_ok(), "{what}: a stopped finish failed");
                    self.session.rebuild(&Changes::Paths(Vec::new()))
                }
                Err(e) => Err(e),
            },
        };
        let mut clean = Session::new(options(self.site.path()));
        let clean_result = clean.rebuild(&Changes::All);
        match (incremental, clean_result) {
            (Ok(_), Ok(_)) => {}
            (Err(a), Err(b)) => {
                assert_eq!(render(a), render(b), "{what}: the errors differ");
                return;
            }
            (Ok(_), Err(e)) => panic!(
                "{what}: incremental succeeded, clean failed:\n{}",
                render(e)
            ),
            (Err(e), Ok(_)) => panic!(
                "{what}: clean succeeded, incremental failed:\n{}",
                render(e)
            ),
        }
        let (a, b) = (snapshot(&self.session), snapshot(&clean));
        let only_incremental: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
        let only_clean: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
        let differ: Vec<&String> = a
            .iter()
            .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
            .map(|(k, _)| k)
            .collect();
        assert!(
            only_incremental.is_empty() && only_clean.is_empty() && differ.is_empty(),
            "{what}: incremental output differs from a clean build\n  only incremental: {only_incremental:?}\n  only clean: {only_clean:?}\n  different bytes: {differ:?}"
        );
    }
}

pub(crate) fn render(d: sheaf::Diagnostics) -> String {
    d.sorted()
        .iter()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n")
}
