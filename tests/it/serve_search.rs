//! The preview's search index: made by a child process of the server
//! (`sheaf __search-index`, `src/search/child/`), it follows edits, and no child is left
//! once it is served.

use std::time::Duration;

use crate::support::serve::{Server, edit, eventually};

const ENTRY: &str = "/sheaf/pagefind/pagefind-entry.json";

/// The server's child processes (`/proc/<pid>/task/*/children`), with their command lines.
fn children(pid: u32) -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .map(|child| {
                    std::fs::read(format!("/proc/{child}/cmdline"))
                        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_index_follows_edits_and_its_child_processes_are_gone_once_it_is_served() {
    let server = Server::start_with_args(|_| {}, &["-v"]);
    let limit = Duration::from_secs(60);
    assert!(
        eventually(limit, || server.get(ENTRY).status == 200),
        "no search index after {limit:?}"
    );
    assert!(
        eventually(Duration::from_secs(5), || server
            .printed("search index: ")
            .is_some()),
        "no `search index:` line in -v"
    );
    let said = server
        .stdout
        .lock()
        .unwrap()
        .iter()
        .map(|(_, l)| l.clone())
        .collect::<Vec<_>>();
    assert!(
        said.iter()
            .any(|l| l.starts_with("search index: ") && l.ends_with("in a child process")),
        "{said:?}"
    );
    let first = server.get(ENTRY).body;
    assert!(
        eventually(Duration::from_secs(10), || children(server.pid())
            .is_empty()),
        "children left after the index was served: {:?}",
        children(server.pid())
    );

    edit(
        &server.path("content/essays/middle-ground.md"),
        "The middle essay.",
        "The middle essay, now about quetzalcoatlus.",
    );
    assert!(
        eventually(limit, || {
            let now = server.get(ENTRY);
            now.status == 200 && now.body != first
        }),
        "the index did not change after an edit"
    );
    assert!(
        eventually(Duration::from_secs(10), || children(server.pid())
            .is_empty()),
        "children left after the second index: {:?}",
        children(server.pid())
    );
}
