//! A session must redo only what an edit can change. `incremental.rs` proves that
//! reusing work gives the bytes a clean build gives; this file proves that work is reused
//! at all, from the counts a run reports (`RunStats`), on a generated 300-page site:
//!
//! - a one-word edit in one page body re-renders at most that page, its neighbours, its
//!   section, the home page, tag pages, the tag index, the feeds and the sitemap, and the
//!   pages whose related reading shows its card when the edit changes the card's summary
//!   (the bound is counted in the site, see `edit_bound`), and parses exactly one body;
//!   an edit after the summary leaves those related lists alone;
//! - a template edit re-renders pages but parses no Markdown;
//! - a second `sheaf build`-style session over the same `.sheaf-cache` highlights no code.
//!
//! Each bound is checked by one function, and each is also run on a session that reuses
//! nothing (`Session::without_reuse`), where the same check must fail: a session that
//! re-rendered everything on every save would not pass this file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sheaf::Diagnostics;
use sheaf::testing::Site;
use sheaf::{BuildOptions, Changes, Rebuilt, RunStats, Session, Urgent};
use tempfile::TempDir;

const PAGES: usize = 300;
const SECTIONS: [&str; 3] = ["essays", "notes", "guides"];
const TAGS: usize = 12;
/// The page the edit scenario changes: one of the newest (so in the feeds, which
/// list the latest 20) with a neighbour on each side.
const EDITED: usize = 291;
/// The override the template scenario edits (the default theme's page template).
const PAGE_TEMPLATE: &str = "templates/page.html";

/// A generated site in a temporary folder.
struct ReuseSite {
    dir: TempDir,
}

impl ReuseSite {
    /// `PAGES` dated pages over three sections, two of `TAGS` tags each, one code block
    /// each (its own code, so each is highlighted once), and a `templates/page.html`.
    fn generate() -> ReuseSite {
        let site = ReuseSite {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        site.write(
            "config.yaml",
            "title: Reuse\nbase_url: https://example.org/\n",
        );
        site.write(
            "content/_index.md",
            "---\ntitle: Reuse\n---\nThe home page.\n",
        );
        for (i, section) in SECTIONS.iter().enumerate() {
            let text = format!("---\ntitle: Section {section}\nweight: {i}\n---\nAll {section}.\n");
            site.write(&format!("content/{section}/_index.md"), &text);
        }
        for n in 0..PAGES {
            site.write(&page_rel(n), &page_text(n));
        }
        site.write(
            PAGE_TEMPLATE,
            include_str!("../../themes/default/templates/page.html"),
        );
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        fs::write(&path, text).expect("a file");
        path
    }

    /// Replaces `from` (which must be there) with `to` in `rel`; the path, for `Changes`.
    fn edit(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let path = self.root().join(rel);
        let text = fs::read_to_string(&path).expect("the file to edit");
        assert!(text.contains(from), "{from:?} is not in {rel}");
        fs::write(&path, text.replacen(from, to, 1)).expect("the edit");
        path
    }

    /// A session as `sheaf serve` (`preview`) or `sheaf build` makes one.
    fn session(&self, preview: bool, reuse: bool) -> Session {
        let session = Session::new(BuildOptions {
            root: self.root().to_path_buf(),
            output: self.root().join("public"),
            drafts: preview,
            future: false,
            base_url: None,
            preview,
        });
        if reuse {
            session
        } else {
            session.without_reuse()
        }
    }
}

fn page_rel(n: usize) -> String {
    format!("content/{}/page-{n}.md", SECTIONS[n % SECTIONS.len()])
}

/// Tags `n % TAGS` and `(n + 5) % TAGS`: two, always different.
fn page_tags(n: usize) -> [usize; 2] {
    [n % TAGS, (n + 5) % TAGS]
}

fn page_text(n: usize) -> String {
    let [a, b] = page_tags(n);
    // Distinct dates: within 2024, one day each.
    let (month, day) = (n / 28 % 12 + 1, n % 28 + 1);
    format!(
        "---\ntitle: Page {n}\ndate: 2024-{month:02}-{day:02}\ntags: [tag-{a}, tag-{b}]\n---\n\
         The body of page {n} says original.\n\n\
         ```rust\nfn page_{n}() -> usize {{\n    {n}\n}}\n```\n"
    )
}

/// The run's counts, or the panic that shows why it failed.
fn stats(result: Result<Rebuilt, Diagnostics>) -> RunStats {
    match result {
        Ok(rebuilt) => rebuilt.stats,
        Err(errors) => panic!("the site does not build:\n{}", shown(errors)),
    }
}

fn shown(errors: Diagnostics) -> String {
    let shown: Vec<String> = errors.sorted().iter().map(|d| d.render(false)).collect();
    shown.join("\n")
}

/// Jobs a body edit of the page at `rel` (content-relative) may change, counted in the
/// model: the page; its section's list and the home page; its own tags' pages and feeds;
/// the tag index, the site feeds and the sitemap; and, when the edit changes the page's
/// card (`card`: its summary, the first paragraph here), the pages whose related reading
/// shows that card. Not its neighbours: they show its title and link, which a body edit
/// leaves alone (job keys come from what rendering read).
fn edit_bound(site: &Site, rel: &str, card: bool) -> usize {
    let i = site
        .pages
        .iter()
        .position(|p| p.doc.source.rel == rel)
        .expect("the edited page is in the model");
    let tags: BTreeSet<usize> = site.pages[i].tags.iter().copied().collect();
    let (section, home, tag_index, site_feeds, sitemap) = (1, 1, 1, 1, 1);
    let related = shown_as_related(site, i);
    assert!(related > 0, "the edited page is on some related lists");
    let related = if card { related } else { 0 };
    1 + section + home + 2 * tags.len() + tag_index + site_feeds + sitemap + related
}

/// How many pages list page `i` in their related reading.
fn shown_as_related(site: &Site, i: usize) -> usize {
    (0..site.pages.len())
        .filter(|&q| site.related(q).contains(&i))
        .count()
}

/// The edit of (a): a word of the first paragraph, the page's summary.
const IN_SUMMARY: (&str, &str, bool) = ("says original", "says edited", true);
/// A word of the code block, after the summary: the page's card stays the same.
const AFTER_SUMMARY: (&str, &str, bool) = ("-> usize", "-> u64", false);

/// (a) A one-word edit of page `EDITED`'s body (`from` to `to`; `card`: whether it changes
/// the page's card), rebuilt the live preview's way (the page open in a browser first,
/// then the rest); the counts of both steps.
fn one_word_edit(reuse: bool, (from, to, card): (&str, &str, bool)) -> (RunStats, usize) {
    let site = ReuseSite::generate();
    let mut session = site.session(true, reuse);
    let first = stats(session.rebuild(&Changes::All));
    assert!(
        first.jobs_rendered > PAGES,
        "the first run renders everything"
    );
    let rel = page_rel(EDITED);
    let bound = edit_bound(
        session.site().expect("a model"),
        &rel["content/".len()..],
        card,
    );
    let path = site.edit(&rel, from, to);
    let open = format!(
        "{}/page-{EDITED}/index.html",
        SECTIONS[EDITED % SECTIONS.len()]
    );
    let urgent = Urgent::Files([open].into());
    let started = match session.start(&Changes::Paths(vec![path]), &urgent) {
        Ok(started) => started,
        Err(errors) => panic!("the edited site does not build:\n{}", shown(errors)),
    };
    assert!(
        !started.files().is_empty(),
        "the open page is rendered first"
    );
    (stats(started.finish()), bound)
}

fn check_one_word_edit((stats, bound): &(RunStats, usize)) -> Result<(), String> {
    if stats.jobs_rendered == 0 || stats.jobs_rendered > *bound {
        return Err(format!(
            "{} jobs rendered, expected 1..={bound}: {stats:?}",
            stats.jobs_rendered
        ));
    }
    if stats.bodies_rendered != 1 {
        return Err(format!(
            "{} bodies parsed, expected 1",
            stats.bodies_rendered
        ));
    }
    Ok(())
}

/// (b) A comment added to the site's page template.
fn template_edit(reuse: bool) -> RunStats {
    let site = ReuseSite::generate();
    let mut session = site.session(true, reuse);
    stats(session.rebuild(&Changes::All));
    let path = site.edit(
        PAGE_TEMPLATE,
        "{% endblock content",
        "<!-- edited -->{% endblock content",
    );
    stats(session.rebuild(&Changes::Paths(vec![path])))
}

fn check_template_edit(stats: &RunStats) -> Result<(), String> {
    if stats.jobs_rendered < PAGES {
        return Err(format!(
            "{} jobs rendered: a page template edit re-renders every page",
            stats.jobs_rendered
        ));
    }
    if stats.bodies_rendered != 0 {
        return Err(format!(
            "{} bodies parsed after a template edit, expected 0",
            stats.bodies_rendered
        ));
    }
    Ok(())
}

/// (c) Two `sheaf build`-style sessions, one after the other, over the same site and
/// `.sheaf-cache`; the second's counts.
fn second_build(reuse: bool) -> RunStats {
    let site = ReuseSite::generate();
    let mut first = site.session(false, true);
    let made = stats(first.rebuild(&Changes::All));
    assert_eq!(made.code_blocks_highlighted, PAGES, "one block per page");
    let kept = first.store_highlights();
    assert!(kept.is_empty(), "the highlight cache was not written");
    let mut second = site.session(false, reuse);
    stats(second.rebuild(&Changes::All))
}

fn check_second_build(stats: &RunStats) -> Result<(), String> {
    if stats.code_blocks_highlighted != 0 {
        return Err(format!(
            "{} code blocks highlighted again by a second build",
            stats.code_blocks_highlighted
        ));
    }
    if stats.code_blocks_found != PAGES {
        return Err(format!(
            "{} code blocks found in the cache, expected {PAGES}",
            stats.code_blocks_found
        ));
    }
    Ok(())
}

#[test]
fn a_one_word_edit_re_renders_the_page_its_lists_and_feeds_only() {
    let edit = one_word_edit(true, IN_SUMMARY);
    check_one_word_edit(&edit).unwrap();
    let (stats, _) = edit;
    assert!(!stats.model_assembled, "a body edit patches the model");
    assert!(stats.jobs_reused > PAGES, "{stats:?}");
}

/// Related reading shows a page's card, not its text: an edit after the summary that
/// leaves the card as it was re-renders none of the pages that list it.
#[test]
fn an_edit_after_the_summary_leaves_related_lists_alone() {
    let edit = one_word_edit(true, AFTER_SUMMARY);
    check_one_word_edit(&edit).unwrap();
}

#[test]
fn without_reuse_a_one_word_edit_breaks_those_bounds() {
    let edit = one_word_edit(false, IN_SUMMARY);
    assert!(check_one_word_edit(&edit).is_err(), "{edit:?}");
    let (stats, _) = edit;
    assert!(stats.jobs_rendered > PAGES && stats.bodies_rendered > PAGES);
}

#[test]
fn a_template_edit_re_renders_pages_but_parses_no_markdown() {
    let stats = template_edit(true);
    check_template_edit(&stats).unwrap();
    assert_eq!(stats.code_blocks_highlighted, 0, "{stats:?}");
}

#[test]
fn without_reuse_a_template_edit_parses_every_body() {
    let stats = template_edit(false);
    assert!(check_template_edit(&stats).is_err(), "{stats:?}");
    assert!(stats.bodies_rendered > PAGES, "{stats:?}");
}

#[test]
fn a_second_build_highlights_no_code_block() {
    check_second_build(&second_build(true)).unwrap();
}

#[test]
fn without_reuse_a_second_build_highlights_every_block() {
    let stats = second_build(false);
    assert!(check_second_build(&stats).is_err(), "{stats:?}");
    assert_eq!(stats.code_blocks_highlighted, PAGES, "{stats:?}");
}
