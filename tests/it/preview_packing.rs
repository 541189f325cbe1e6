//! The preview answers a save with its files plain and packs them after
//! (`Session::pack_files`): packing is a quarter of rendering's CPU, and nobody waiting for
//! a page should pay it. Packed, a file holds the same bytes; a save packs only what it
//! rendered.

use std::fs;

use sheaf::{Changes, Contents, Session};

use crate::support;
use crate::support::scenario::{options, render, snapshot};

fn is_packed(session: &Session, path: &str) -> bool {
    let file = session.file(path).unwrap_or_else(|| panic!("no {path}"));
    matches!(file.contents, Contents::Packed(_))
}

#[test]
fn a_runs_files_are_packed_after_it_with_the_same_bytes() {
    let site = support::copy_fixture("site-basic");
    let mut session = Session::new(options(site.path()));
    session
        .rebuild(&Changes::All)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let page = "essays/middle-ground/index.html";
    assert!(
        !is_packed(&session, page),
        "a small run is not packed as it renders"
    );
    let before = snapshot(&session);

    let packed = session.pack_files();
    assert!(packed.iter().any(|p| p == page), "{packed:?}");
    let html: Vec<String> = session
        .files()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| f.path.clone())
        .collect();
    assert!(html.len() > 10);
    for path in &html {
        assert!(is_packed(&session, path), "{path} is not packed");
    }
    assert!(snapshot(&session) == before, "packing changed bytes");
    assert!(session.pack_files().is_empty(), "packed twice");

    // A save: what it renders is plain until packed; the rest stays packed.
    let essay = site.path().join("content/essays/middle-ground.md");
    let text = fs::read_to_string(&essay).unwrap();
    fs::write(
        &essay,
        text.replace("The middle essay.", "The middle essay, edited."),
    )
    .unwrap();
    session
        .rebuild(&Changes::Paths(vec![essay]))
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let plain: Vec<&String> = html.iter().filter(|p| !is_packed(&session, p)).collect();
    assert!(plain.contains(&&page.to_string()), "{plain:?}");
    assert!(plain.len() < html.len() / 2, "the save rendered {plain:?}");
    let mut packed = session.pack_files();
    packed.retain(|p| p.ends_with(".html"));
    packed.sort();
    let mut plain: Vec<String> = plain.into_iter().cloned().collect();
    plain.sort();
    assert_eq!(packed, plain, "only what the save rendered is packed again");
    assert!(is_packed(&session, page));
}
