//! The live preview's incremental rebuilds must produce exactly what a clean build produces.
//!
//! Each scenario edits a copy of a fixture site the way a writer would (edit, add, delete,
//! rename, break and fix, templates, config, images, folders), tells one long-lived
//! `Session` which paths changed, and compares every output file, byte for byte, with a
//! fresh session's clean build of the same files. A cache that misses a dependency shows
//! up here as a stale file, named in the failure.

use std::fs;
use std::path::Path;

use sheaf::{Changes, Session, Urgent};

use crate::support;
use crate::support::scenario::{Scenario, options, render};

const NEW_ESSAY: &str = "---\ntitle: A new essay\ndate: 2024-07-01\ntags: [Brand New, Writing]\n---\nFresh text linking [the middle](middle-ground.md#top).\n";

#[test]
fn content_edits_match_a_clean_build() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let essay = "content/essays/middle-ground.md";

    let p = s.edit(essay, "The middle essay.", "The middle essay, edited.");
    s.step("body text", vec![p]);
    let p = s.edit(
        essay,
        "title: Middle ground",
        "title: Middle ground, retitled",
    );
    s.step("title (neighbours and lists show it)", vec![p]);
    let p = s.edit(essay, "tags: [Writing]", "tags: [Writing, Gardening]");
    s.step("a new tag", vec![p]);
    let p = s.edit(essay, "tags: [Writing, Gardening]", "tags: [Habits]");
    s.step("tags removed (a tag page disappears)", vec![p]);
    let p = s.edit(essay, "date: 2024-06-01", "date: 2023-01-01");
    s.step("date (order, prev/next, feeds)", vec![p]);
    let p = s.edit(essay, "aliases: [/old/path/]", "aliases: [/older/path/]");
    s.step("alias moved", vec![p]);

    let p = s.write("content/essays/a-new-essay.md", NEW_ESSAY);
    s.step("essay added", vec![p]);
    let old = s.path("content/essays/a-new-essay.md");
    let new = s.path("content/essays/renamed-essay.md");
    fs::rename(&old, &new).unwrap();
    s.step("essay renamed", vec![old, new.clone()]);
    fs::remove_file(&new).unwrap();
    s.step("essay deleted", vec![new]);

    let p = s.edit(
        "content/essays/_index.md",
        "All the essays.",
        "Every essay.",
    );
    s.step("section text", vec![p]);
    let p = s.edit(
        "content/essays/_index.md",
        "title: Essays",
        "title: Writing",
    );
    s.step("section title (navigation on every page)", vec![p]);
}

/// A section's aliases follow its edits: added, its title and URL changed, removed.
#[test]
fn section_aliases_match_a_clean_build() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let index = "content/essays/_index.md";
    let p = s.edit(
        index,
        "weight: 1\n",
        "weight: 1\naliases: [/posts/, /old.html]\n",
    );
    s.step("a section gains aliases", vec![p]);
    let p = s.edit(index, "title: Essays", "title: Writing");
    s.step("its title changes under them", vec![p]);
    let p = s.edit(
        index,
        "aliases: [/posts/, /old.html]",
        "aliases: [/posts/, /about/]",
    );
    s.step("an alias over a page (error)", vec![p]);
    let p = s.edit(index, "aliases: [/posts/, /about/]\n", "");
    s.step("and they go", vec![p]);
}

/// Links may point at ids the theme writes (`<footer id="colophon">`); a template edit that
/// adds or removes one re-checks every anchor, as a clean build would.
#[test]
fn links_to_ids_the_theme_writes_follow_template_edits() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let p = s.edit(
        "content/about.md",
        "\n---\n",
        "\n---\nSee [the colophon](#colophon) and [the top](#main).\n",
    );
    s.step("a link to an id no template writes (error)", vec![p]);
    let footer = "templates/partials/footer.html";
    let p = s.edit(
        footer,
        "data-override=\"site-basic\"",
        "data-override=\"site-basic\" id=\"colophon\"",
    );
    s.step("the footer template writes the id", vec![p]);
    let p = s.edit(footer, " id=\"colophon\"", "");
    s.step("and stops writing it (error)", vec![p]);
}

#[test]
fn links_that_break_and_heal_match_a_clean_build() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let p = s.edit(
        "content/about.md",
        "\n---\n",
        "\n---\nSee [later](essays/not-yet.md) and ![new](essays/new-pic.png).\n",
    );
    s.step(
        "links to a page and an image that do not exist (errors)",
        vec![p],
    );
    let page = s.write(
        "content/essays/not-yet.md",
        "---\ntitle: Not yet\ndate: 2024-02-02\n---\nNow it exists.\n",
    );
    let pic = s.path("content/essays/new-pic.png");
    fs::copy(s.path("content/essays/pic.png"), &pic).unwrap();
    s.step("the page and the image appear", vec![page.clone(), pic]);
    let p = s.edit(
        "content/essays/not-yet.md",
        "title: Not yet",
        "title: Not yet\nslug: moved",
    );
    s.step("the linked page changes its URL", vec![p]);
    fs::remove_file(&page).unwrap();
    s.step(
        "the linked page is deleted again (error)",
        vec![page.clone()],
    );
    let p = s.write(
        "content/essays/not-yet.md",
        "---\ntitle: Back\ndate: 2024-02-02\n---\nBack.\n\n## A heading\n\nText.\n",
    );
    s.step("and restored, with a heading", vec![p]);
    let p = s.edit(
        "content/about.md",
        "(essays/not-yet.md)",
        "(essays/not-yet.md#a-heading)",
    );
    s.step("a link to the heading", vec![p]);
    // Body-only edits of the target: the model is patched, not assembled again, and the
    // link from the other page must still be re-checked.
    let p = s.edit(
        "content/essays/not-yet.md",
        "## A heading",
        "## Renamed heading",
    );
    s.step("the heading renamed under the link (error)", vec![p]);
    let p = s.edit(
        "content/essays/not-yet.md",
        "## Renamed heading",
        "## A heading",
    );
    s.step("and back", vec![p]);
}

#[test]
fn broken_front_matter_and_its_fix_match_a_clean_build() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let essay = "content/essays/first-light.md";
    let p = s.edit(essay, "title: First light", "title: [unclosed");
    s.step("broken front matter (error)", vec![p]);
    let p = s.edit(essay, "title: [unclosed", "title: First light again");
    s.step("fixed", vec![p]);
}

#[test]
fn folders_templates_config_and_statics_match_a_clean_build() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    s.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\n---\nShort notes.\n",
    );
    s.write(
        "content/notes/deep/one.md",
        "---\ntitle: One\ndate: 2024-03-03\ntags: [Writing]\n---\nOne.\n",
    );
    let folder = s.path("content/notes");
    s.step(
        "a new folder with a section and a page",
        vec![folder.clone()],
    );
    fs::remove_dir_all(&folder).unwrap();
    s.step("the folder deleted", vec![folder]);

    let p = s.write(
        "templates/partials/footer.html",
        "<footer><p>A new footer, {{ config.title }}</p></footer>\n",
    );
    s.step("a template override edited (every page)", vec![p]);
    let p = s.edit(
        "config.yaml",
        "title: Basic fixture",
        "title: Renamed fixture",
    );
    s.step("config edited (everything)", vec![p]);
    let p = s.edit(
        "config.yaml",
        "extra:",
        "menu:\n  - page: about.md\n  - page: essays/\nextra:",
    );
    s.step("a menu added to the config", vec![p]);
    let p = s.edit("content/about.md", "title: About", "title: \"About\" us");
    s.step(
        "a menu page's title edited (every page's navigation)",
        vec![p],
    );
    let p = s.write(
        "content/about.md",
        "---\ntitle: About\ndraft: true\n---\nHidden.\n",
    );
    s.step("a menu page made a draft", vec![p]);
    let p = s.write("static/hello.txt", "changed static file\n");
    s.step("a static file edited", vec![p]);
    let p = s.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    s.step("a static file overriding a generated one", vec![p.clone()]);
    fs::remove_file(&p).unwrap();
    s.step("the override removed (the generated file returns)", vec![p]);
}

#[test]
fn worksheet_edits_match_a_clean_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/site");
    let mut s = Scenario::new(support::copy_site(&root));
    let sheet = "content/worksheets/network-health.md";
    let p = s.edit(sheet, "title: Quiet,", "title: Very quiet,");
    s.step("a result renamed (result pages, sitemap)", vec![p]);
    let p = s.edit(
        sheet,
        "How many real conversations did you have last week?",
        "How many real conversations last week?",
    );
    s.step("a question edited", vec![p]);
    let p = s.edit(sheet, "id: network-health", "id: todays-priority");
    s.step("a duplicate worksheet id (error)", vec![p]);
    let p = s.edit(sheet, "id: todays-priority", "id: network-health-2");
    s.step("fixed with a new id", vec![p]);
}

/// The workbook lists every worksheet with its version, structure hash, question count and
/// results: each edit of those re-renders it, as do a worksheet appearing and the last one
/// going (no workbook then).
#[test]
fn workbook_follows_worksheet_edits() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/site");
    let mut s = Scenario::new(support::copy_site(&root));
    let sheet = "content/worksheets/network-health.md";
    let p = s.edit(
        sheet,
        "```worksheet\n",
        "```worksheet\n- id: added\n  type: text\n  prompt: A new question\n",
    );
    s.step("a question added (count and structure hash)", vec![p]);
    let p = s.edit(sheet, "version: 1", "version: 2");
    s.step("the worksheet's version bumped", vec![p]);
    let p = s.edit(
        sheet,
        "title: How healthy is your network?",
        "title: Network check",
    );
    s.step("a worksheet renamed", vec![p]);
    let p = s.edit(sheet, "A score out of thirteen", "A score out of 13");
    s.step("its description edited", vec![p]);
    let p = s.write(
        "content/worksheets/third.md",
        "---\ntitle: Third\nworksheet:\n  id: third\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: { title: A, body: A. }\n---\n```worksheet\n- id: q\n  type: single\n  prompt: Q?\n  options:\n    - { id: x, label: X, score: { a: 1 } }\n```\n",
    );
    s.step("a worksheet added", vec![p.clone()]);
    fs::remove_file(&p).unwrap();
    s.step("that worksheet deleted", vec![p]);
    let a = s.path("content/worksheets/todays-priority.md");
    let b = s.path(sheet);
    fs::remove_file(&a).unwrap();
    fs::remove_file(&b).unwrap();
    s.step("every worksheet deleted (no workbook)", vec![a, b]);
}

/// A section's own text links to a page that moves and goes: the preview's deferred pass
/// checks the pages' links once and the sections' again, so a section's broken link is
/// reported exactly as a clean build reports it (regression: only the pages' check was
/// skipped, never the sections').
#[test]
fn a_sections_links_follow_pages_that_move_and_go() {
    let site = support::copy_fixture("site-basic");
    let target_text = "---\ntitle: Target\ndate: 2024-02-02\n---\nHere.\n";
    fs::write(site.path().join("content/essays/target.md"), target_text).unwrap();
    let index = site.path().join("content/essays/_index.md");
    let text = fs::read_to_string(&index).unwrap();
    fs::write(
        &index,
        text.replace("All the essays.", "Start with [the target](target.md)."),
    )
    .unwrap();
    // Steps take turns (see `Scenario::step`): the first and fourth go through the
    // preview's two steps, where the deferred pass runs.
    let mut s = Scenario::new(site);
    let target = s.path("content/essays/target.md");
    fs::remove_file(&target).unwrap();
    s.step(
        "the page is deleted (the section's link is an error)",
        vec![target.clone()],
    );
    let p = s.write("content/essays/target.md", target_text);
    s.step("and restored", vec![p]);
    let p = s.edit(
        "content/essays/target.md",
        "title: Target",
        "title: Target\nslug: elsewhere",
    );
    s.step("the page moves (the section's link follows)", vec![p]);
    fs::remove_file(&target).unwrap();
    s.step("deleted again (an error again)", vec![target]);
}

/// A component that shows another page's card (`worksheet(page=...)`) follows that page's
/// title and description, which are front matter, not the link table: an edit of them
/// leaves every URL as it was, and the body that shows the card must still be rendered
/// again (regression: only a changed link table re-checked what bodies looked up).
#[test]
fn a_components_card_follows_the_pages_front_matter() {
    let site = support::copy_fixture("site-basic");
    let root = site.path();
    fs::create_dir_all(root.join("content/worksheets")).unwrap();
    fs::write(root.join("content/worksheets/quiz.md"), QUIZ).unwrap();
    fs::write(
        root.join("content/essays/calls.md"),
        "---\ntitle: Calls\ndate: 2025-03-05\n---\nIntro.\n\n\
         {{ worksheet(page=\"../worksheets/quiz.md\") }}\n",
    )
    .unwrap();
    let mut s = Scenario::new(site);
    let quiz = "content/worksheets/quiz.md";
    let p = s.edit(quiz, "title: Quiz", "title: Quiz, retitled");
    s.step("the shown page's title", vec![p]);
    let p = s.edit(
        quiz,
        "description: A tiny quiz.",
        "description: A short quiz.",
    );
    s.step("its description", vec![p]);
    let p = s.edit(quiz, "title: Quiz, retitled", "title: Quiz again");
    s.step("its title again", vec![p]);
    let p = s.edit(
        quiz,
        "description: A short quiz.",
        "description: A tiny quiz.",
    );
    s.step("its description again", vec![p]);
}

/// A link to a tag's page (a site path, not a document) follows the tag: the page exists
/// only while some page has the tag, which is front matter, so the link breaks and heals
/// with an unchanged link table.
#[test]
fn a_link_to_a_tag_page_follows_the_tag() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let p = s.edit(
        "content/about.md",
        "\n---\n",
        "\n---\nSee [the new tag](/tags/brand-new/).\n",
    );
    s.step("a link to a tag no page has (error)", vec![p]);
    let essay = "content/essays/middle-ground.md";
    let p = s.edit(essay, "tags: [Writing]", "tags: [Writing, Brand New]");
    s.step("a page takes the tag (the link resolves)", vec![p]);
    let p = s.edit(essay, "tags: [Writing, Brand New]", "tags: [Writing]");
    s.step("and drops it (an error again)", vec![p]);
    let p = s.edit(essay, "tags: [Writing]", "tags: [Writing, Brand New]");
    s.step("and takes it again", vec![p]);
}

const QUIZ: &str = "---\ntitle: Quiz\ndescription: A tiny quiz.\nworksheet:\n  id: quiz\n  version: 1\n  result:\n    by: top\n    dimensions:\n      a: { title: Alpha, body: \"You are an alpha.\" }\n      b: { title: Beta, body: \"You are a beta.\" }\n---\n```worksheet\n- id: q\n  type: single\n  prompt: Pick one.\n  options:\n    - { id: x, label: X, score: { a: 1 } }\n    - { id: y, label: Y, score: { b: 1 } }\n```\n";

/// Lists split two to a page (issue #19): every change kind moves entries between the pages
/// of the essays section, the home page's latest list and a tag, and adds or drops pages
/// and their `page/1/` redirects; each must still equal a clean build.
#[test]
fn paginated_lists_follow_every_change_kind() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let p = s.edit(
        "config.yaml",
        "theme: default\n",
        "theme: default\npaginate_by: 2\n",
    );
    s.step("the site's paginate_by (every list splits)", vec![p]);
    let essay = "content/essays/middle-ground.md";

    let p = s.write("content/essays/a-new-essay.md", NEW_ESSAY);
    s.step("a new tagged essay shifts every later page", vec![p]);
    let p = s.edit(essay, "The middle essay.", "The middle essay, edited.");
    s.step("essay text", vec![p]);
    let p = s.edit(essay, "tags: [Writing]", "tags: [Writing, Brand New]");
    s.step("a tag added (its list grows a page)", vec![p]);
    let p = s.edit(essay, "tags: [Writing, Brand New]", "tags: [Habits]");
    s.step("tags removed (a list loses a page)", vec![p]);
    let p = s.edit(essay, "date: 2024-06-01", "date: 2020-01-01");
    s.step("a date moves an essay to the last page", vec![p]);
    let p = s.path("content/essays/a-new-essay.md");
    fs::remove_file(&p).unwrap();
    s.step("an essay deleted (later pages shift back)", vec![p]);
    let p = s.edit(
        "content/essays/_index.md",
        "title: Essays",
        "title: Essays\npaginate_by: 1",
    );
    s.step("a section's own paginate_by", vec![p]);
    let p = s.edit("config.yaml", "paginate_by: 2\n", "paginate_by: 0\n");
    s.step("paginate_by 0 (tags and home on one page)", vec![p]);
}

/// Series across two sections: a series started, a part added, retitled (every part's box
/// and the series' page and feed show it), moved to another series, made undated (the
/// order rule changes) and removed; each must equal a clean build.
#[test]
fn series_follow_every_change_kind() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let middle = "content/essays/middle-ground.md";
    let first = "content/essays/first-light.md";
    let guide = "content/guides/zero-to-one.md";

    let a = s.edit(
        middle,
        "tags: [Writing]",
        "tags: [Writing]\nseries: Growing",
    );
    let b = s.edit(
        first,
        "tags: [Writing, Habits]",
        "tags: [Writing, Habits]\nseries: growing",
    );
    s.step(
        "a series starts (its page, feed, index, sitemap)",
        vec![a, b],
    );
    let p = s.edit(
        guide,
        "weight: 1",
        "weight: 1\ndate: 2024-03-01\nseries: Growing",
    );
    s.step("a part added from another section, in the middle", vec![p]);
    let p = s.write(
        "content/essays/a-new-part.md",
        "---\ntitle: A new part\ndate: 2024-12-01\nseries: Growing\n---\nNew.\n",
    );
    s.step("a new file joins the series at the end", vec![p]);
    let p = s.edit(
        middle,
        "title: Middle ground",
        "title: Middle ground, retitled",
    );
    s.step("a part retitled (every part's box)", vec![p]);
    let p = s.edit(guide, "date: 2024-03-01\n", "");
    s.step("an undated part (the series falls to title order)", vec![p]);
    let p = s.edit(guide, "series: Growing", "series: Another one");
    s.step("a part moved to another series", vec![p]);
    let p = s.path("content/essays/a-new-part.md");
    fs::remove_file(&p).unwrap();
    s.step("a part removed", vec![p]);
    let a = s.edit(middle, "\nseries: Growing", "");
    let b = s.edit(first, "\nseries: growing", "");
    let c = s.edit(guide, "\nseries: Another one", "");
    s.step("every series gone (no series pages)", vec![a, b, c]);
}

/// Related reading (`model::related`) follows every change that moves it: tags added and
/// removed (lists appear, change and vanish), a listed page's body and title, a new page,
/// a listed page deleted, and the `related:` setting; each equals a clean build.
#[test]
fn related_reading_follows_tags_titles_and_deletions() {
    let mut s = Scenario::new(support::copy_fixture("site-basic"));
    let guide = "content/guides/zero-to-one.md";
    let first = "content/essays/first-light.md";
    let middle = "content/essays/middle-ground.md";

    let p = s.edit(guide, "weight: 1\n", "weight: 1\ntags: [Habits, Rust]\n");
    s.step("a guide gets tags (new lists, longer ones)", vec![p]);
    let p = s.edit(first, "It has a picture", "It has a small picture");
    s.step("a listed page's text after its summary", vec![p]);
    let p = s.edit(
        first,
        "description: The oldest essay.",
        "description: The first one.",
    );
    s.step("a listed page's summary", vec![p]);
    let p = s.edit(first, "title: First light", "title: First light, retitled");
    s.step("a listed page retitled", vec![p]);
    let p = s.edit(middle, "tags: [Writing]", "tags: [Writing, Habits]");
    s.step("a tag added to the open page", vec![p]);
    let p = s.edit(middle, "tags: [Writing, Habits]", "tags: [Rust]");
    s.step("tags removed from the open page", vec![p]);
    let p = s.edit(guide, "tags: [Habits, Rust]\n", "");
    s.step("a page's tags all removed (its list vanishes)", vec![p]);
    let p = s.write("content/essays/a-new-essay.md", NEW_ESSAY);
    s.step("a new essay sharing tags", vec![p]);
    let p = s.edit(
        "content/essays/work-in-progress.md",
        "tags: [Drafts]",
        "tags: [Writing, Rust]",
    );
    s.step("a draft (built in the preview) joins lists", vec![p]);
    let p = s.path(first);
    fs::remove_file(&p).unwrap();
    s.step("a listed page deleted", vec![p]);
    let p = s.edit(
        "config.yaml",
        "theme: default\n",
        "theme: default\nrelated: { limit: 1 }\n",
    );
    s.step("related.limit", vec![p]);
    let p = s.edit(
        "config.yaml",
        "related: { limit: 1 }\n",
        "related: { enabled: false }\n",
    );
    s.step("related reading turned off", vec![p]);
}

/// The preview renders a requested page before the rest of the site by finding the job that
/// makes it from its path alone (`plan::jobs_for_files`), and answers a page no job makes
/// with the 404 page at once, without waiting for the run (issue #19). Both need every kind
/// of page a build writes to be found from its path: essays, sections and their numbered
/// pages, `/page/1/` redirects, tags and their pages, series, worksheets and their result
/// pages, aliases, the workbook and search pages, and the home page's pages.
#[test]
fn every_page_a_build_writes_is_found_from_its_path_and_no_other() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    fs::copy(repo.join("config.yaml"), site.path().join("config.yaml")).unwrap();
    support::copy_dir(&repo.join("content"), &site.path().join("content"));
    let config = fs::read_to_string(site.path().join("config.yaml")).unwrap();
    fs::write(
        site.path().join("config.yaml"),
        format!("{config}paginate_by: 2\n"),
    )
    .unwrap();
    let essay = site.path().join("content/essays/why-chasing-followers.md");
    let text = fs::read_to_string(&essay).unwrap();
    fs::write(
        &essay,
        text.replacen("\ntags:", "\naliases: [/old/followers/]\ntags:", 1),
    )
    .unwrap();

    let mut session = Session::new(options(site.path()));
    if let Err(errors) = session.rebuild(&Changes::All) {
        panic!("the guide does not build:\n{}", render(errors));
    }
    let pages: Vec<String> = session
        .files()
        .map(|f| f.path.clone())
        .filter(|p| p.ends_with("index.html"))
        .collect();
    for kind in [
        "page/2/",
        "page/1/",
        "old/followers/",
        "/result/",
        "series/",
        "workbook/",
        "search/",
        "tags/",
    ] {
        assert!(
            pages.iter().any(|p| p.contains(kind)),
            "the fixture writes no {kind} page: {pages:?}"
        );
    }
    let missing = [
        "essays/never-written/index.html",
        "essays/page/99/index.html",
        "tags/nothing/index.html",
    ];
    let asked = pages
        .iter()
        .cloned()
        .chain(missing.map(String::from))
        .collect();
    let started = session
        .start(&Changes::Paths(Vec::new()), &Urgent::Files(asked))
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let pending = started.pending().clone();
    drop(started);
    let lost: Vec<&String> = pages
        .iter()
        .filter(|p| !pending.current.contains(*p))
        .collect();
    assert!(lost.is_empty(), "pages no job was found for: {lost:?}");
    let mut absent: Vec<&str> = pending.absent.iter().map(String::as_str).collect();
    absent.sort_unstable();
    let mut expected = missing.to_vec();
    expected.sort_unstable();
    assert_eq!(absent, expected);
    assert!(
        pending.current.contains("404.html"),
        "the 404 page that answers them is made with the asked pages"
    );
}

/// A body rendered by a run that was stopped before its whole-site pass was checked
/// against that run's model, not the one the cache knows: when the next model is the
/// cache's again (a linked page moved, then moved back), the body is checked again, not
/// taken as checked against it (it would keep the link to the moved URL).
#[test]
fn a_body_from_a_stopped_run_is_checked_again_when_the_site_goes_back() {
    let site = support::copy_fixture("site-basic");
    let about = site.path().join("content/about.md");
    let text = fs::read_to_string(&about).unwrap();
    fs::write(
        &about,
        text.replace(
            "built by tests.",
            "built by tests, [first](essays/first-light.md).",
        ),
    )
    .unwrap();
    let mut session = Session::new(options(site.path()));
    if let Err(errors) = session.rebuild(&Changes::All) {
        panic!("the fixture does not build:\n{}", render(errors));
    }
    let linked = site.path().join("content/essays/first-light.md");
    let kept = fs::read_to_string(&linked).unwrap();
    fs::write(
        &linked,
        kept.replacen("\ntitle:", "\nslug: moved\ntitle:", 1),
    )
    .unwrap();
    // The open page links the moved page: its body is rendered with the new URL first.
    let open = Urgent::Files(["about/index.html".to_string()].into());
    let started = session
        .start(&Changes::Paths(vec![linked.clone()]), &open)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let about_page = started
        .files()
        .iter()
        .find(|f| f.path == "about/index.html")
        .and_then(|f| {
            f.contents
                .bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        });
    assert!(
        about_page.is_some_and(|html| html.contains("/essays/moved/")),
        "the open page links the new URL"
    );
    // The writer saves again: the run stops before its whole-site pass.
    let stopped = started.finish_unless(&|| true);
    assert!(matches!(stopped, Ok(None)), "the run stopped");
    fs::write(&linked, kept).unwrap();
    session
        .rebuild(&Changes::Paths(vec![linked]))
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let mut clean = Session::new(options(site.path()));
    clean
        .rebuild(&Changes::All)
        .unwrap_or_else(|e| panic!("{}", render(e)));
    let (a, b) = (
        crate::support::scenario::snapshot(&session),
        crate::support::scenario::snapshot(&clean),
    );
    let about = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        String::from_utf8_lossy(&files["about/index.html"]).into_owned()
    };
    assert!(
        about(&a).contains("/essays/first-light/") && !about(&a).contains("/essays/moved/"),
        "the about page does not link the URL the page has again"
    );
    assert!(a == b, "the rebuild differs from a clean build");
}
