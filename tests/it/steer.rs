//! The live preview steers a run's second step (`sheaf::Steer`): files asked for while it
//! renders are rendered before the rest and handed over at once, and the run goes on to
//! the end rather than starting over for them.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use sheaf::{Changes, Ready, Session, Steer, Urgent};

use crate::list_parts::{add_newest, built, long_lists};
use crate::support::scenario::{options, render, snapshot};

/// Asks for `asking` at the first look, and keeps what it is handed.
struct Asker {
    asking: Mutex<Option<HashSet<String>>>,
    handed: Mutex<BTreeMap<String, Vec<u8>>>,
    current: Mutex<HashSet<String>>,
    absent: Mutex<HashSet<String>>,
    looks: Mutex<usize>,
}

impl Steer for Asker {
    fn stop(&self, _planned: bool) -> bool {
        *self.looks.lock().unwrap() += 1;
        false
    }

    fn take_wanted(&self) -> HashSet<String> {
        self.asking.lock().unwrap().take().unwrap_or_default()
    }

    fn publish(&self, ready: Ready<'_>) {
        let mut handed = self.handed.lock().unwrap();
        for file in ready.files {
            let bytes = file.contents.bytes().unwrap_or_default().to_vec();
            handed.insert(file.path.clone(), bytes);
        }
        self.current.lock().unwrap().extend(ready.current);
        self.absent.lock().unwrap().extend(ready.absent);
    }
}

#[test]
fn files_asked_for_during_the_second_step_are_handed_over_before_it_ends() {
    let site = long_lists();
    let mut session = built(&site);
    // A new newest essay moves every page of the lists; the open page is the essay itself.
    let new = add_newest(&site, "2025-06-01", "New.\n");
    let asked: HashSet<String> = [
        "essays/page/30/index.html",       // a later part of a list: stale
        "tags/writing/index.html",         // another list's first page: stale
        "rss.xml",                         // a feed: stale
        "about/index.html",                // a page the change leaves alone: fresh
        "essays/never-written/index.html", // no job makes it
    ]
    .map(String::from)
    .into();
    let asker = Asker {
        asking: Mutex::new(Some(asked.clone())),
        handed: Mutex::default(),
        current: Mutex::default(),
        absent: Mutex::default(),
        looks: Mutex::new(0),
    };
    let open = Urgent::Files(["essays/newest/index.html".to_string()].into());
    let started = session
        .start(&Changes::Paths(vec![new]), &open)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let finished = started
        .finish_unless(&asker)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    assert!(finished.is_some(), "the run went on to the end");

    let mut clean = Session::new(options(site.path()));
    clean
        .rebuild(&Changes::All)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let clean = snapshot(&clean);
    let handed = asker.handed.into_inner().unwrap();
    let current = asker.current.into_inner().unwrap();
    for file in asked.iter().filter(|f| !f.contains("never-written")) {
        assert_eq!(
            handed.get(file),
            clean.get(file),
            "{file} was not handed over as the clean build makes it"
        );
        assert!(current.contains(file), "{file} is not marked current");
    }
    // With each asked-for file, the rest of its job's pages: the list part's 16.
    assert!(current.contains("essays/page/17/index.html"), "{current:?}");
    let absent = asker.absent.into_inner().unwrap();
    assert!(
        absent.contains("essays/never-written/index.html"),
        "{absent:?}"
    );
    assert_eq!(handed.get("404.html"), clean.get("404.html"));
    // And what the run kept is the clean build.
    assert!(
        snapshot(&session) == clean,
        "the finished run differs from a clean build"
    );
}
