//! The record-and-check cycle on real sites: what a render read decides whether it runs again.

use std::path::{Path, PathBuf};

use super::*;
use crate::build::{BuildOptions, Changes, Session};
use crate::model::{Site, Target};

/// A site of three dated essays (`a` is the newest) in one section, sharing a tag.
fn site() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "config.yaml",
        "title: T\nbase_url: https://example.org/\n",
    );
    write(dir.path(), "content/_index.md", "---\ntitle: Home\n---\n");
    write(
        dir.path(),
        "content/essays/_index.md",
        "---\ntitle: Essays\n---\n",
    );
    for (name, day) in [("a", 3), ("b", 2), ("c", 1)] {
        let text = format!(
            "---\ntitle: Essay {name}\ndate: 2025-01-0{day}\ntags: [t]\n---\n\nThe {name} text.\n"
        );
        write(dir.path(), &format!("content/essays/{name}.md"), &text);
    }
    let mut session = Session::new(BuildOptions::plain(dir.path()));
    if let Err(errors) = session.rebuild(&Changes::All) {
        panic!("the test site builds: {:?}", errors.sorted());
    }
    (dir, session)
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// Replaces `from` by `to` in one file and rebuilds with the session.
fn edit(dir: &Path, session: &mut Session, rel: &str, from: &str, to: &str) {
    let path = dir.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let rebuilt = session.rebuild(&Changes::Paths(vec![path]));
    assert!(rebuilt.is_ok(), "the edited site builds");
}

fn page(now: &Current, rel: &str) -> usize {
    match now.site().by_source.get(rel) {
        Some(Target::Page(p)) => *p,
        _ => panic!("no page {rel}"),
    }
}

/// What a render that shows the whole of `full` and the title of `titles` reads: a
/// stand-in for a kind's template, which gets its data from the view alone.
fn render(session: &Session, full: &[&str], titles: &[&str]) -> Reads {
    let now = Current::new(session.site().unwrap(), 7);
    let view = SiteView::new(&now);
    view.global();
    for rel in full {
        let _ = view.page(page(&now, rel)).doc.source.text();
    }
    for rel in titles {
        let _ = view.page_ref(page(&now, rel)).0;
    }
    now.record(view.into_touches())
}

fn holds(reads: &Reads, session: &Session) -> bool {
    reads.hold(&Current::new(session.site().unwrap(), 7))
}

#[test]
fn a_render_that_starts_reading_one_more_page_goes_stale_when_that_page_changes() {
    let (dir, mut session) = site();
    // The template as it was, and as it is after it started showing essay b too.
    let before = render(&session, &["essays/a.md"], &[]);
    let after = render(&session, &["essays/a.md", "essays/b.md"], &[]);
    edit(
        dir.path(),
        &mut session,
        "content/essays/b.md",
        "The b",
        "One b",
    );
    // A key listing the old template's inputs would still match: stale output.
    assert!(holds(&before, &session));
    assert!(
        !holds(&after, &session),
        "b's edit must re-render what read b"
    );
}

#[test]
fn reads_that_did_not_change_let_the_job_be_reused() {
    let (dir, mut session) = site();
    let reads = render(&session, &["essays/a.md"], &["essays/b.md"]);
    assert!(holds(&reads, &session), "nothing changed");
    // c is not read; b's text is not read, only its title.
    edit(
        dir.path(),
        &mut session,
        "content/essays/c.md",
        "The c",
        "One c",
    );
    edit(
        dir.path(),
        &mut session,
        "content/essays/b.md",
        "The b",
        "One b",
    );
    assert!(holds(&reads, &session));
    edit(
        dir.path(),
        &mut session,
        "content/essays/b.md",
        "Essay b",
        "Essay B",
    );
    assert!(!holds(&reads, &session), "b's title was read");
}

#[test]
fn a_read_of_a_page_that_went_does_not_hold() {
    let (dir, mut session) = site();
    let reads = render(&session, &[], &["essays/c.md"]);
    let gone = dir.path().join("content/essays/c.md");
    std::fs::remove_file(&gone).unwrap();
    assert!(session.rebuild(&Changes::Paths(vec![gone])).is_ok());
    assert!(!holds(&reads, &session));
}

#[test]
fn the_global_part_is_read_by_every_template() {
    let (_dir, session) = site();
    let reads = render(&session, &[], &[]);
    assert!(holds(&reads, &session));
    assert!(!reads.hold(&Current::new(session.site().unwrap(), 8)));
}

/// The session renders again only what read the edited page; a rebuild of nothing
/// renders nothing.
#[test]
fn a_one_word_edit_renders_the_page_and_what_lists_it() {
    let (dir, mut session) = site();
    // (A file named by the watcher is read anew and its body rendered again even if
    // its text is the same: that is the body cache's rule, not the jobs'.)
    let again = session.rebuild(&Changes::Paths(Vec::new()));
    assert_eq!(
        again.map(|r| r.stats.jobs_rendered).ok(),
        Some(0),
        "no change renders no job"
    );
    let path = dir.path().join("content/essays/b.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("The b", "One b")).unwrap();
    let rendered = session
        .rebuild(&Changes::Paths(vec![path]))
        .map(|r| r.stats.jobs_rendered);
    // b, its section, the home page, its tag's page and feed, the site's feeds, and a
    // and c, whose related reading shows b's card (its summary, the first paragraph,
    // changed); not its neighbours' prev/next links (only their titles and URLs are
    // shown), the tag index or sitemap.
    assert_eq!(rendered.ok(), Some(8));
}

/// A kind whose render shows the pages at the given indices (as a template would).
struct Shows(&'static [usize]);

impl crate::render::kinds::Kind for Shows {
    fn name(&self) -> &'static str {
        "test"
    }
    fn instances(&self, _site: &Site) -> Vec<usize> {
        vec![0]
    }
    fn outputs(&self, _site: &Site, _id: usize) -> Vec<String> {
        vec!["test.html".into()]
    }
    fn render(
        &self,
        renderer: &crate::render::Renderer,
        view: &SiteView,
        _id: usize,
    ) -> Result<Vec<crate::output::OutputFile>, crate::diagnostic::Diagnostic> {
        let _ = renderer.context(view, serde_json::Value::Null);
        let titles: Vec<&str> = self
            .0
            .iter()
            .map(|&p| view.page(p).doc.front.title.0.as_str())
            .collect();
        Ok(vec![renderer.html_file(
            view,
            "/test.html",
            titles.join(","),
        )])
    }
    fn describe(&self, _site: &Site, _id: usize) -> String {
        "a test page".into()
    }
}

/// Renders `kind` on the session's site the way the session does; its reads.
fn run(session: &Session, kind: &'static Shows) -> crate::render::plan::Rendered {
    use crate::render::plan::{Job, run_jobs};
    let site = session.site().unwrap();
    let location = crate::diagnostic::Location::file_only("config.yaml");
    let files = crate::theme::load(&session.options().root, "default", location).unwrap();
    let theme =
        crate::render::Theme::compile(&site.config.highlight, &site.config.urls, &files).unwrap();
    let contexts = crate::render::context::build_globals(site, false);
    let renderer = crate::render::Renderer::new(site, &theme, contexts, false);
    let now = Current::new(site, 7);
    let Ok(mut rendered) = run_jobs(&now, &renderer, &[Job::of(kind, 0)]) else {
        panic!("the test kind renders");
    };
    rendered.remove(0)
}

#[test]
fn a_kind_that_starts_showing_one_more_page_is_rendered_again_when_it_changes() {
    static BEFORE: Shows = Shows(&[0]);
    static AFTER: Shows = Shows(&[0, 1]);
    let (dir, mut session) = site();
    let before = run(&session, &BEFORE);
    let after = run(&session, &AFTER);
    let site = session.site().unwrap();
    let second = site.pages[1].doc.source.rel.clone();
    let third = site.pages[2].doc.source.rel.clone();
    // A page neither shows: both stay.
    edit(
        dir.path(),
        &mut session,
        &format!("content/{third}"),
        " text",
        " words",
    );
    let now = Current::new(session.site().unwrap(), 7);
    assert!(before.holds(&now) && after.holds(&now));
    // The page only the new version shows: it alone is rendered again.
    edit(
        dir.path(),
        &mut session,
        &format!("content/{second}"),
        " text",
        " words",
    );
    let now = Current::new(session.site().unwrap(), 7);
    assert!(before.holds(&now));
    assert!(!after.holds(&now));
}

/// The card fingerprints the card cache tells a site (`Current::know_card`) are the ones
/// the site would make itself, for reused cards and cards made again alike.
#[test]
fn the_card_caches_fingerprints_are_the_cards_own() {
    use crate::render::context::{self, CardCache};
    let (dir, mut session) = site();
    let mut cache = CardCache::default();
    let before = Current::new(session.site().unwrap(), 0);
    context::build(&before, false, &mut cache);
    drop(before);
    edit(
        dir.path(),
        &mut session,
        "content/essays/b.md",
        "Essay b",
        "Essay B2",
    );
    let site = session.site().unwrap();
    let told = Current::new(site, 0);
    context::build(&told, false, &mut cache);
    let made = Current::new(site, 0);
    for p in 0..site.pages.len() {
        assert_eq!(
            told.fingerprint(Touch::Card(p)),
            made.fingerprint(Touch::Card(p)),
            "the card of {}",
            site.pages[p].doc.source.rel
        );
    }
}
