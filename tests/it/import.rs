//! `sheaf import jekyll|hugo|zola SOURCE [DEST]` (issue #20), held to the issue through its
//! command line only (what it promises: `content/docs/moving.md`).
//!
//! The fixtures are small sites written by hand in each tool's own layout and syntax,
//! `tests/fixtures/import/{jekyll,hugo,zola}/`, each with the list of every URL the source
//! tool publishes for it beside it (`<kind>.old-urls.txt`, worked out from the tool's rules,
//! one site path a line with the reason). Each test imports a fixture into a temporary
//! folder, builds the result with `sheaf build` and checks one behaviour:
//! - the source is left byte-identical, and a site of the wrong kind or a bad DEST is refused;
//! - the result builds with no link warnings, and its config carries the source's;
//! - every old URL is served (a page, or a redirect page to a page; a feed URL is a feed),
//!   read from the output folder, and for the Jekyll fixture (base path `/blog/`) through a
//!   plain HTTP server too;
//! - every internal link and fragment lands, and feed item ids are those of the old feed;
//! - front matter: unknown keys under `extra` and in the report, categories as tags (or
//!   kept in `extra`), dates from Jekyll and Zola file names, drafts kept as drafts;
//! - shortcodes and Liquid tags: converted where sheaf has an equivalent, else visible in
//!   the page and in the report with `file:line`;
//! - a link the source already had broken: `links: { internal: warn }`, listed and located;
//! - the validators the suite uses (scripts/validate-site) pass on each built result.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;
use tempfile::TempDir;
use url::Url;

use crate::support::static_server::{self, StaticServer};
use crate::support::{self, Run, Site, html, text::visible_text};

// ================================================================ the fixtures

/// One fixture: its kind (the `sheaf import` argument), the base URL it publishes at, and
/// the feed its readers are subscribed to, with that feed's format.
#[derive(Clone, Copy)]
struct Kind {
    name: &'static str,
    base_url: &'static str,
    old_feed: &'static str,
    old_feed_format: FeedFormat,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum FeedFormat {
    Atom,
    Rss,
}

const JEKYLL: Kind = Kind {
    name: "jekyll",
    base_url: "https://jekyll.example.com/blog/",
    old_feed: "/feed.xml",
    old_feed_format: FeedFormat::Atom,
};
const HUGO: Kind = Kind {
    name: "hugo",
    base_url: "https://hugo.example.org/",
    old_feed: "/index.xml",
    old_feed_format: FeedFormat::Rss,
};
const ZOLA: Kind = Kind {
    name: "zola",
    base_url: "https://zola.example.net/",
    old_feed: "/atom.xml",
    old_feed_format: FeedFormat::Atom,
};
const KINDS: [Kind; 3] = [JEKYLL, HUGO, ZOLA];

impl Kind {
    fn source(&self) -> PathBuf {
        support::fixture("import").join(self.name)
    }

    fn base_path(&self) -> String {
        Url::parse(self.base_url).unwrap().path().to_string()
    }

    /// The old URLs of `<kind>.old-urls.txt`.
    fn old_urls(&self) -> Vec<OldUrl> {
        let file = support::fixture("import").join(format!("{}.old-urls.txt", self.name));
        let text = support::read(&file);
        let mut urls = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let (line, why) = match line.split_once('#') {
                Some((line, why)) => (line.trim(), why.trim()),
                None => (line.trim(), ""),
            };
            if line.is_empty() {
                continue;
            }
            let (may_be_reported, path) = match line.strip_prefix('?') {
                Some(path) => (true, path.trim()),
                None => (false, line),
            };
            assert!(
                path.starts_with('/') && !path.contains(char::is_whitespace),
                "{}:{}: not a site path: {line:?}",
                file.display(),
                n + 1
            );
            urls.push(OldUrl {
                path: path.to_string(),
                may_be_reported,
                why: why.to_string(),
            });
        }
        assert!(urls.len() >= 8, "{}: too few old URLs", file.display());
        urls
    }
}

/// A URL the source site publishes.
struct OldUrl {
    /// The site path, without the base path: `/2020/05/01/x.html`, `/feed.xml`.
    path: String,
    /// A taxonomy page sheaf may place elsewhere: served, or named in the report.
    may_be_reported: bool,
    why: String,
}

/// Every file under `dir` with its bytes (an empty map if there is no `dir`).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    support::snapshot_dir(dir)
}

/// What differs between two snapshots of a folder, one line per file.
fn differences(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> String {
    let mut lines = Vec::new();
    for (file, bytes) in before {
        match after.get(file) {
            None => lines.push(format!("removed: {file}")),
            Some(now) if now != bytes => lines.push(format!("changed: {file}")),
            _ => {}
        }
    }
    for file in after.keys().filter(|f| !before.contains_key(*f)) {
        lines.push(format!("created: {file}"));
    }
    lines.join("\n")
}

// ================================================================ running sheaf import

/// `sheaf import KIND SOURCE DEST ARGS…` run from `cwd`, whatever the outcome.
fn run_import(kind: &str, source: &Path, dest: Option<&Path>, args: &[&str], cwd: &Path) -> Run {
    let mut cmd = support::sheaf();
    cmd.current_dir(cwd).arg("import").arg(kind).arg(source);
    if let Some(dest) = dest {
        cmd.arg(dest);
    }
    cmd.args(args);
    Run::of(&mut cmd)
}

/// A fixture imported into `<tmp>/site`.
struct Imported {
    tmp: TempDir,
    dest: PathBuf,
    source: PathBuf,
    run: Run,
}

impl Imported {
    /// The report: what `sheaf import` printed (both streams).
    fn report(&self) -> String {
        format!("{}\n{}", self.run.stdout, self.run.stderr)
    }

    fn config(&self) -> Value {
        let text = support::read(self.dest.join("config.yaml"));
        serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("config.yaml is not YAML: {e}\n{text}"))
    }

    /// The written content files with their front matter, keyed by `title`.
    fn pages(&self) -> BTreeMap<String, ContentFile> {
        self.pages_except("\0")
    }

    /// [`Imported::pages`] but for files whose name ends with `skip`.
    fn pages_except(&self, skip: &str) -> BTreeMap<String, ContentFile> {
        let content = self.dest.join("content");
        let mut pages = BTreeMap::new();
        for rel in support::list_files(&content) {
            if !rel.ends_with(".md") || rel.ends_with(skip) {
                continue;
            }
            let text = support::read(content.join(&rel));
            let file = ContentFile::parse(&format!("content/{rel}"), &text);
            let title = file.str("title").unwrap_or_default().to_string();
            if let Some(other) = pages.insert(title.clone(), file) {
                panic!("two content files titled {title:?}: {}", other.rel);
            }
        }
        pages
    }

    /// The content file titled `title`; panics listing the titles there are.
    fn page(&self, title: &str) -> ContentFile {
        let mut pages = self.pages();
        let titles: Vec<String> = pages.keys().cloned().collect();
        pages.remove(title).unwrap_or_else(|| {
            panic!("no content file titled {title:?} in the imported site; titles: {titles:?}")
        })
    }

    /// Builds the imported site into `<tmp>/public`, whatever the outcome.
    fn build(&self) -> (Run, Site) {
        support::try_build(&self.dest, &[])
    }

    /// Builds and requires success.
    fn build_ok(&self) -> (Run, Site) {
        let (run, site) = self.build();
        assert_eq!(
            run.code,
            Some(0),
            "sheaf build of the imported {} site failed\n{run}\n--- the import's report\n{}",
            self.source.display(),
            self.report()
        );
        (run, site)
    }
}

/// A content file of the imported site: its front matter (YAML between `---` lines) and body.
struct ContentFile {
    rel: String,
    front: Value,
    body: String,
}

impl ContentFile {
    fn parse(rel: &str, text: &str) -> ContentFile {
        let rest = text
            .strip_prefix("---\n")
            .unwrap_or_else(|| panic!("{rel}: no `---` front matter:\n{text}"));
        let (yaml, body) = match rest.find("\n---\n") {
            Some(end) => (&rest[..end], &rest[end + 5..]),
            None => (
                rest.strip_suffix("\n---")
                    .unwrap_or_else(|| panic!("{rel}: front matter not closed")),
                "",
            ),
        };
        let front: Value = serde_yaml::from_str(yaml)
            .unwrap_or_else(|e| panic!("{rel}: front matter is not YAML: {e}\n{yaml}"));
        ContentFile {
            rel: rel.to_string(),
            front,
            body: body.to_string(),
        }
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.front.get(key)
    }

    fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    fn extra(&self, key: &str) -> Option<&Value> {
        self.get("extra").and_then(|e| e.get(key))
    }

    /// `tags:` as a set (empty when absent).
    fn tags(&self) -> BTreeSet<String> {
        match self.get("tags") {
            None => BTreeSet::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|t| {
                    t.as_str()
                        .unwrap_or_else(|| panic!("{}: a tag is not a string: {t:?}", self.rel))
                        .to_string()
                })
                .collect(),
            Some(other) => panic!("{}: tags is not a list: {other:?}", self.rel),
        }
    }

    fn describe(&self) -> String {
        format!(
            "{}:\n{}",
            self.rel,
            serde_yaml::to_string(&self.front).unwrap_or_default()
        )
    }
}

/// `sheaf import` of `source` (as `kind`) into a new `<tmp>/site`; panics unless exit 0.
fn import_from(kind: &str, source: &Path, args: &[&str]) -> Imported {
    let tmp = tempfile::Builder::new()
        .prefix(&format!("sheaf-import-{kind}-"))
        .tempdir()
        .expect("create a temporary folder");
    let dest = tmp.path().join("site");
    let run = run_import(kind, source, Some(&dest), args, tmp.path());
    assert_eq!(
        run.code,
        Some(0),
        "sheaf import {kind} {} {} {args:?} should succeed\n{run}",
        source.display(),
        dest.display()
    );
    run.assert_no_panic();
    assert!(
        dest.join("config.yaml").is_file(),
        "the import wrote no config.yaml into {}; it wrote {:?}",
        dest.display(),
        support::list_files(&dest)
    );
    Imported {
        tmp,
        dest,
        source: source.to_path_buf(),
        run,
    }
}

/// The fixture of `kind` imported as it is in the repository.
fn import(kind: Kind, args: &[&str]) -> Imported {
    import_from(kind.name, &kind.source(), args)
}

/// Imported and built; the build must succeed.
fn import_and_build(kind: Kind) -> (Imported, Run, Site) {
    let imported = import(kind, &[]);
    let (run, site) = imported.build_ok();
    (imported, run, site)
}

// ================================================================ reading the output

/// The output file a site path is served from, as a static host maps it.
fn file_for(out: &Path, site_path: &str) -> PathBuf {
    let path = out.join(site_path.trim_start_matches('/'));
    if site_path.ends_with('/') || path.is_dir() {
        path.join("index.html")
    } else {
        path
    }
}

/// The target of a `<meta http-equiv=refresh>`, if the page is a redirect page.
fn refresh_target(page: &html::Html) -> Option<String> {
    page.tags_named("meta")
        .find(|m| {
            m.attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
        })
        .and_then(|m| {
            let content = m.attr("content").unwrap_or_default();
            let at = content.to_ascii_lowercase().find("url=")?;
            Some(
                content[at + 4..]
                    .trim()
                    .trim_matches(['\'', '"'])
                    .to_string(),
            )
        })
}

/// The site path a URL found in the site names, if it is of the site: resolved against the
/// URL of the page it was found on, then stripped of the base URL. Fragment kept apart.
fn site_path_of(
    base_url: &str,
    from_site_path: &str,
    link: &str,
) -> Option<(String, Option<String>)> {
    let base = Url::parse(base_url).unwrap();
    let page = base.join(from_site_path.trim_start_matches('/')).ok()?;
    let mut url = page.join(link.trim()).ok()?;
    if url.origin() != base.origin() {
        return None;
    }
    let fragment = url.fragment().map(str::to_string);
    url.set_fragment(None);
    url.set_query(None);
    let path = url.path().strip_prefix(base.path().trim_end_matches('/'))?;
    let path = if path.is_empty() { "/" } else { path };
    let path = percent_decode(path);
    Some((path, fragment.map(|f| percent_decode(&f))))
}

/// A link to the site's host that forgot the base path (`/tags/` on a site under `/blog/`).
fn outside_base_path(base_url: &str, from_site_path: &str, link: &str) -> bool {
    let base = Url::parse(base_url).unwrap();
    let Some(url) = base
        .join(from_site_path.trim_start_matches('/'))
        .ok()
        .and_then(|page| page.join(link.trim()).ok())
    else {
        return false;
    };
    url.origin() == base.origin()
        && !url.path().starts_with(base.path())
        && url.path() != base.path().trim_end_matches('/')
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// What a site path of the built output turned out to be.
#[derive(Debug)]
enum Served {
    /// A page (after `hops` redirect pages), at this site path.
    Page {
        at: String,
        hops: usize,
    },
    Feed(FeedFormat),
}

/// Follows `site_path` in the output folder as a browser would: a redirect page (meta
/// refresh) to its target, up to 5 hops; it must end on a page that is not a redirect (and
/// not the 404 page), or, for a `.xml` path, on an RSS or Atom feed.
fn serve_from_folder(out: &Path, base_url: &str, site_path: &str) -> Result<Served, String> {
    let mut at = site_path.to_string();
    let mut trail = vec![at.clone()];
    for hops in 0..=5 {
        let file = file_for(out, &at);
        let bytes = fs::read(&file).map_err(|_| {
            format!(
                "no file {} for {}",
                file.strip_prefix(out).unwrap_or(&file).display(),
                trail.join(" -> ")
            )
        })?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if at.ends_with(".xml") {
            return feed_format(&text)
                .map(Served::Feed)
                .ok_or_else(|| format!("{} is not an RSS or Atom feed", trail.join(" -> ")));
        }
        let page = html::parse(&text);
        if page.tags_named("html").next().is_none() && !text.contains("<!doctype") {
            return Err(format!("{} is not an HTML page", trail.join(" -> ")));
        }
        match refresh_target(&page) {
            Some(target) => {
                let (next, _) = site_path_of(base_url, &at, &target).ok_or_else(|| {
                    format!("{} redirects off the site, to {target}", trail.join(" -> "))
                })?;
                trail.push(next.clone());
                at = next;
            }
            None => {
                if page.titles.iter().any(|t| t.contains("Page not found")) {
                    return Err(format!("{} is the 404 page", trail.join(" -> ")));
                }
                return Ok(Served::Page { at, hops });
            }
        }
    }
    Err(format!("more than 5 redirects: {}", trail.join(" -> ")))
}

/// RSS or Atom, by parsing it with the crates feed readers' authors use.
fn feed_format(text: &str) -> Option<FeedFormat> {
    if text.parse::<atom_syndication::Feed>().is_ok() {
        Some(FeedFormat::Atom)
    } else if text.parse::<rss::Channel>().is_ok() {
        Some(FeedFormat::Rss)
    } else {
        None
    }
}

/// Checks every old URL of `kind` against the built output; returns one line per problem.
fn missing_old_urls(kind: Kind, imported: &Imported, out: &Path) -> Vec<String> {
    let report = imported.report();
    let mut problems = Vec::new();
    let (mut kept, mut redirected, mut reported) = (0, 0, 0);
    for old in kind.old_urls() {
        match serve_from_folder(out, kind.base_url, &old.path) {
            Ok(Served::Feed(format)) => {
                kept += 1;
                if old.path == kind.old_feed && format != kind.old_feed_format {
                    problems.push(format!(
                        "{}: a {format:?} feed; its readers expect {:?}",
                        old.path, kind.old_feed_format
                    ));
                }
            }
            Ok(Served::Page { at, hops }) => {
                if hops == 0 {
                    kept += 1;
                } else {
                    redirected += 1;
                    eprintln!("{}: {} -> {at}", kind.name, old.path);
                }
            }
            // Moved or lost, and the report says so.
            Err(_) if old.may_be_reported && report.contains(&old.path) => reported += 1,
            Err(why) => problems.push(format!("{}  ({}): {why}", old.path, old.why)),
        }
    }
    eprintln!(
        "{}: old URLs: {kept} served, {redirected} redirected, {reported} named in the report, \
         {} missing",
        kind.name,
        problems.len()
    );
    problems
}

/// Every `id` (and `<a name>`) of a page.
fn anchor_ids(page: &html::Html) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for tag in &page.tags {
        if let Some(id) = tag.attr("id") {
            ids.insert(id.to_string());
        }
        if tag.name == "a"
            && let Some(name) = tag.attr("name")
        {
            ids.insert(name.to_string());
        }
    }
    ids
}

/// The site path an output `.html` file is served at.
fn site_path_of_file(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{rel}"),
    }
}

/// Every `<a href>` of every page of the output that points into the site, checked: the
/// target must exist and, with a fragment, hold that id. Returns (links checked with a
/// fragment, problems).
fn check_internal_links(out: &Path, base_url: &str) -> (usize, Vec<String>) {
    let files = support::list_files(out);
    let mut ids_cache: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut with_fragment = 0;
    for rel in files.iter().filter(|f| f.ends_with(".html")) {
        let text = support::read(out.join(rel));
        let page = html::parse(&text);
        if refresh_target(&page).is_some() {
            continue;
        }
        let from = site_path_of_file(rel);
        for anchor in &page.anchors {
            if outside_base_path(base_url, &from, &anchor.href) {
                problems.push(format!(
                    "{rel}: link {:?} ({:?}) leaves the base path",
                    anchor.text.trim(),
                    anchor.href
                ));
                continue;
            }
            let Some((path, fragment)) = site_path_of(base_url, &from, &anchor.href) else {
                continue;
            };
            let target = file_for(out, &path);
            if !target.is_file() {
                problems.push(format!(
                    "{rel}: link {:?} ({:?}) -> {path}: no such file",
                    anchor.text.trim(),
                    anchor.href
                ));
                continue;
            }
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            if target.extension().is_none_or(|e| e != "html") {
                continue;
            }
            with_fragment += 1;
            let ids = ids_cache
                .entry(target.clone())
                .or_insert_with(|| anchor_ids(&html::parse(&support::read(&target))));
            if !ids.contains(&fragment) {
                problems.push(format!(
                    "{rel}: link {:?} ({:?}): {path} has no id {fragment:?} (it has {:?})",
                    anchor.text.trim(),
                    anchor.href,
                    ids
                ));
            }
        }
    }
    (with_fragment, problems)
}

/// The built page an old URL leads to, with its site path.
fn page_at_old_url(kind: Kind, out: &Path, old: &str) -> (String, html::Html, String) {
    match serve_from_folder(out, kind.base_url, old) {
        Ok(Served::Page { at, .. }) => {
            let text = support::read(file_for(out, &at));
            (at, html::parse(&text), text)
        }
        other => panic!("the old URL {old} does not lead to a page: {other:?}"),
    }
}

/// The first `<a>` of a page whose text is `text`; panics listing the page's links.
fn link_named<'a>(page: &'a html::Html, text: &str, at: &str) -> &'a html::Anchor {
    page.anchors
        .iter()
        .find(|a| a.text.trim() == text)
        .unwrap_or_else(|| {
            let links: Vec<(String, String)> = page
                .anchors
                .iter()
                .map(|a| (a.text.trim().to_string(), a.href.clone()))
                .collect();
            panic!("no link {text:?} on {at}; its links: {links:#?}")
        })
}

/// Lines of the build's output that warn about links or anchors.
fn link_warnings(run: &Run) -> Vec<String> {
    let all = format!("{}\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = all.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        if lower.trim_start().starts_with("warning")
            && (lower.contains("link") || lower.contains("anchor") || lower.contains("fragment"))
        {
            let context: Vec<&str> = lines[i..(i + 3).min(lines.len())].to_vec();
            found.push(context.join("\n"));
        }
    }
    found
}

/// `(file, line)` of each `path:line[:col]` in `text` whose path ends in `.md`.
fn locations(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '`' || c == '(' || c == ')') {
        let Some(at) = word.find(".md:") else {
            continue;
        };
        let path = &word[..at + 3];
        let line: String = word[at + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(line) = line.parse() {
            found.push((path.to_string(), line));
        }
    }
    found
}

/// Reads line `line` (1-based) of `path` as the report names it: relative to DEST, to
/// SOURCE, or to the folder sheaf ran in (an absolute path joins as itself).
fn line_of(imported: &Imported, path: &str, line: usize) -> Option<String> {
    // Never relative to the folder the tests run in: that is the repository, a sheaf site too.
    let candidates = [
        imported.dest.join(path),
        imported.source.join(path),
        imported.tmp.path().join(path),
    ];
    candidates
        .iter()
        .find(|p| p.is_file())
        .and_then(|p| fs::read_to_string(p).ok())
        .and_then(|text| text.lines().nth(line.checked_sub(1)?).map(str::to_string))
}

/// The report names `what` on a line located at `file:line`, and that line of that file
/// holds `what`.
fn assert_reported_at_its_line(imported: &Imported, what: &str) {
    let report = imported.report();
    let mut tried = Vec::new();
    for line in report.lines().filter(|l| l.contains(what)) {
        for (path, n) in locations(line) {
            match line_of(imported, &path, n) {
                Some(text) if text.contains(what) => return,
                found => tried.push(format!("{line}\n    -> {path}:{n} is {found:?}")),
            }
        }
    }
    panic!(
        "the report does not locate `{what}` at a file:line that holds it\n{}\n--- report\n{}",
        tried.join("\n"),
        report
    );
}

// ================================================================ 1. the command

#[test]
fn import_leaves_every_source_byte_identical() {
    for kind in KINDS {
        let before = snapshot(&kind.source());
        assert!(
            !before.is_empty(),
            "no fixture at {}",
            kind.source().display()
        );
        let imported = import(kind, &[]);
        let after = snapshot(&kind.source());
        assert!(
            before == after,
            "sheaf import {} changed its source {}:\n{}",
            kind.name,
            kind.source().display(),
            differences(&before, &after)
        );
        drop(imported);
    }
}

#[test]
fn import_writes_the_site_layout_of_the_contract() {
    for kind in KINDS {
        let imported = import(kind, &[]);
        let written = support::list_files(&imported.dest);
        for needed in [
            "config.yaml",
            "content/_index.md",
            ".github/workflows/pages.yml",
            ".gitignore",
        ] {
            assert!(
                written.contains(&needed.to_string()),
                "{}: no {needed} written; the import wrote {written:#?}",
                kind.name
            );
        }
        let gitignore = support::read(imported.dest.join(".gitignore"));
        // `public/`, `/public`, `/public/` alike (`sheaf init` writes `/public`).
        for ignored in ["public", ".sheaf-cache"] {
            assert!(
                gitignore
                    .lines()
                    .any(|l| l.trim().trim_start_matches('/').trim_end_matches('/') == ignored),
                "{}: .gitignore does not ignore {ignored}:\n{gitignore}",
                kind.name
            );
        }
        // The workflow is the one `sheaf init` writes.
        let tmp = tempfile::tempdir().unwrap();
        let init = Run::of(support::sheaf().arg("init").arg(tmp.path().join("s")));
        init.assert_success();
        assert_eq!(
            support::read(imported.dest.join(".github/workflows/pages.yml")),
            support::read(tmp.path().join("s/.github/workflows/pages.yml")),
            "{}: the Pages workflow differs from the one `sheaf init` writes",
            kind.name
        );
        let report = imported.report();
        assert!(
            report.contains("imported") && report.contains("old URLs:"),
            "{}: the report lacks its `imported …` and `old URLs:` lines:\n{report}",
            kind.name
        );
        assert!(
            report.lines().any(|l| l.starts_with("next:")),
            "{}: the report does not end with the next command to run:\n{report}",
            kind.name
        );
    }
}

#[test]
fn dest_defaults_to_the_source_folder_name_with_sheaf() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_import("zola", &ZOLA.source(), None, &[], tmp.path());
    run.assert_success();
    assert!(
        tmp.path().join("zola-sheaf/config.yaml").is_file(),
        "no ./zola-sheaf/config.yaml in the folder sheaf ran in; it has {:?}\n{run}",
        support::list_files(tmp.path())
    );
}

#[test]
fn dry_run_writes_nothing_and_prints_the_whole_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    let before = snapshot(&ZOLA.source());
    let run = run_import(
        "zola",
        &ZOLA.source(),
        Some(&dest),
        &["--dry-run"],
        tmp.path(),
    );
    run.assert_success();
    assert!(
        !dest.exists(),
        "--dry-run created {}: {:?}",
        dest.display(),
        support::list_files(&dest)
    );
    assert_eq!(
        support::list_files(tmp.path()),
        Vec::<String>::new(),
        "--dry-run wrote files in the folder it ran in"
    );
    let after = snapshot(&ZOLA.source());
    assert!(before == after, "{}", differences(&before, &after));
    let report = format!("{}{}", run.stdout, run.stderr);
    for expected in [
        "dry run: nothing written",
        // `imported 7 pages…`, or `would import 7 pages…`
        "import",
        "pages",
        "old URLs:",
        "youtube",
    ] {
        assert!(
            report.contains(expected),
            "the dry run's report lacks {expected:?}:\n{report}"
        );
    }
    // The same report as a real run, but for its heading (and the timing in it) and the
    // next command.
    let real = import(ZOLA, &[]);
    let lines = |text: &str, dest: &Path| -> BTreeSet<String> {
        text.lines()
            .filter(|l| {
                let l = l.trim_start();
                !l.contains("dry run")
                    && !l.starts_with("imported")
                    && !l.starts_with("would import")
                    && !l.starts_with("next:")
            })
            .map(|l| l.replace(&dest.display().to_string(), "DEST"))
            .collect()
    };
    let dry = lines(&run.stdout, &dest);
    let wet = lines(&real.run.stdout, &real.dest);
    let only_real: Vec<&String> = wet.difference(&dry).collect();
    assert!(
        only_real.is_empty(),
        "lines of the real run's report that the dry run does not print: {only_real:#?}\n\
         --- dry run\n{}\n--- real run\n{}",
        run.stdout,
        real.run.stdout
    );
}

#[test]
fn a_non_empty_dest_is_refused_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    support::write(dest.join("keep.txt"), "mine\n");
    let run = run_import("jekyll", &JEKYLL.source(), Some(&dest), &[], tmp.path());
    run.assert_exit(2);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("--force"),
        "the refusal does not mention --force:\n{run}"
    );
    assert_eq!(
        support::list_files(&dest),
        ["keep.txt"],
        "a refused import wrote into DEST"
    );
    let forced = run_import(
        "jekyll",
        &JEKYLL.source(),
        Some(&dest),
        &["--force"],
        tmp.path(),
    );
    forced.assert_success();
    assert!(
        dest.join("config.yaml").is_file(),
        "--force wrote no config.yaml\n{forced}"
    );
    assert_eq!(support::read(dest.join("keep.txt")), "mine\n");
}

#[test]
fn dest_inside_or_containing_or_equal_to_source_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("work/blog");
    support::copy_dir(&HUGO.source(), &source);
    let before = snapshot(tmp.path());
    let cases: [(&str, PathBuf, &[&str]); 5] = [
        ("inside SOURCE", source.join("sheaf-site"), &[]),
        (
            "inside SOURCE, with --force",
            source.join("content/out"),
            &["--force"],
        ),
        ("SOURCE itself", source.clone(), &[]),
        ("SOURCE itself, with --force", source.clone(), &["--force"]),
        (
            "a folder that contains SOURCE, with --force",
            tmp.path().join("work"),
            &["--force"],
        ),
    ];
    for (case, dest, args) in cases {
        let run = run_import("hugo", &source, Some(&dest), args, tmp.path());
        assert_eq!(
            run.code,
            Some(2),
            "DEST {case} ({}) should be refused as a usage error\n{run}",
            dest.display()
        );
        run.assert_no_panic();
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains(&dest.display().to_string())
                || said.contains(&source.display().to_string()),
            "the refusal (DEST {case}) names neither DEST nor SOURCE:\n{run}"
        );
        let after = snapshot(tmp.path());
        assert!(
            before == after,
            "the refused import (DEST {case}) wrote files:\n{}",
            differences(&before, &after)
        );
    }
}

#[test]
fn a_site_of_the_wrong_kind_is_refused_with_a_clear_message() {
    let cases = [
        ("hugo", JEKYLL, &["hugo.toml", "config.toml"][..]),
        ("zola", JEKYLL, &["config.toml"][..]),
        ("jekyll", HUGO, &["_config.yml"][..]),
        ("jekyll", ZOLA, &["_config.yml"][..]),
        // A Zola site has a config.toml too, but not Hugo's keys (`baseURL`).
        ("hugo", ZOLA, &["hugo"][..]),
    ];
    for (asked, actual, any_of) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("site");
        let run = run_import(asked, &actual.source(), Some(&dest), &[], tmp.path());
        assert_eq!(
            run.code,
            Some(1),
            "sheaf import {asked} on the {} fixture should exit 1\n{run}",
            actual.name
        );
        run.assert_no_panic();
        let said = format!("{}{}", run.stdout, run.stderr).to_lowercase();
        assert!(
            said.contains(&actual.source().display().to_string().to_lowercase())
                || said.contains(actual.name),
            "the error does not name the folder it read:\n{run}"
        );
        assert!(
            any_of.iter().any(|w| said.contains(w)),
            "sheaf import {asked} on a {} site: the error names none of {any_of:?}:\n{run}",
            actual.name
        );
        assert!(
            !dest.join("config.yaml").exists(),
            "a refused import wrote a site"
        );
    }
}

#[test]
fn bad_front_matter_in_one_file_is_located_and_the_rest_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("hugo");
    support::copy_dir(&HUGO.source(), &source);
    support::write(
        source.join("content/posts/broken.md"),
        "+++\ntitle = \"Broken\ndate = 2022-09-01\n+++\n\nUnterminated string above.\n",
    );
    let imported = import_from("hugo", &source, &[]);
    let report = imported.report();
    let located = report.split_whitespace().any(|word| {
        let Some((_, at)) = word.split_once("broken.md:") else {
            return false;
        };
        let mut parts = at.split(':');
        let number = |p: Option<&str>| {
            p.is_some_and(|p| {
                p.trim_end_matches(|c: char| !c.is_ascii_digit())
                    .parse::<usize>()
                    .is_ok()
            })
        };
        number(parts.next()) && number(parts.next())
    });
    assert!(
        located,
        "the report does not locate broken.md's front matter (file:line:col):\n{report}"
    );
    // Everything else is there (broken.md may be carried over as it was).
    let titles: BTreeSet<String> = imported.pages_except("broken.md").into_keys().collect();
    for title in ["First Hugo post", "Other post", "Bundle post", "Json post"] {
        assert!(titles.contains(title), "{title:?} not imported: {titles:?}");
    }
}

// ================================================================ 2. the built site

/// The imported site builds with no warning about links, and says nothing about
/// `links: { internal: warn }` (its source has no broken link).
fn builds_without_link_warnings(kind: Kind) {
    let (imported, run, site) = import_and_build(kind);
    let warnings = link_warnings(&run);
    assert!(
        warnings.is_empty(),
        "{}: building the imported site warns about links:\n{}",
        kind.name,
        warnings.join("\n")
    );
    assert!(site.exists("index.html"), "{}: no index.html", kind.name);
    let config = imported.config();
    assert_ne!(
        config
            .get("links")
            .and_then(|l| l.get("internal"))
            .and_then(Value::as_str),
        Some("warn"),
        "{}: the fixture has no broken link, yet config.yaml sets links: warn",
        kind.name
    );
}

#[test]
fn jekyll_import_builds_without_link_warnings() {
    builds_without_link_warnings(JEKYLL);
}

#[test]
fn hugo_import_builds_without_link_warnings() {
    builds_without_link_warnings(HUGO);
}

#[test]
fn zola_import_builds_without_link_warnings() {
    builds_without_link_warnings(ZOLA);
}

fn config_str<'a>(config: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut value = config;
    for key in path {
        value = value.get(*key)?;
    }
    value.as_str()
}

/// title, base_url, description, language and author, as the source's config has them.
fn config_carries_the_source(kind: Kind, language: &str, description: &str) -> Value {
    let imported = import(kind, &[]);
    let config = imported.config();
    let expect = [
        (
            &["title"][..],
            format!("{} Fixture", capitalized(kind.name)),
        ),
        (&["base_url"][..], kind.base_url.to_string()),
        (&["description"][..], description.to_string()),
        (&["language"][..], language.to_string()),
        (&["author", "name"][..], "Jane Doe".to_string()),
    ];
    for (path, value) in expect {
        assert_eq!(
            config_str(&config, path),
            Some(value.as_str()),
            "{}: config.yaml `{}`\n{}",
            kind.name,
            path.join("."),
            serde_yaml::to_string(&config).unwrap()
        );
    }
    config
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[test]
fn jekyll_config_maps_to_config_yaml() {
    let config = config_carries_the_source(
        JEKYLL,
        "en",
        "A small Jekyll blog for sheaf's importer tests.",
    );
    assert_eq!(
        config_str(&config, &["feeds", "copies", "/feed.xml"]),
        Some("atom"),
        "jekyll-feed's /feed.xml must stay a feed (Atom)"
    );
}

#[test]
fn hugo_config_maps_to_config_yaml() {
    let config = config_carries_the_source(
        HUGO,
        "en-us",
        "A small Hugo site for sheaf's importer tests.",
    );
    assert_eq!(
        config_str(&config, &["feeds", "copies", "/index.xml"]),
        Some("rss"),
        "Hugo's /index.xml must stay a feed (RSS)"
    );
}

#[test]
fn zola_config_maps_to_config_yaml() {
    let config =
        config_carries_the_source(ZOLA, "en", "A small Zola site for sheaf's importer tests.");
    assert_eq!(config_str(&config, &["extra", "github"]), Some("janedoe"));
    assert_eq!(
        config.get("extra").and_then(|e| e.get("show_reading_time")),
        Some(&Value::Bool(true)),
        "Zola's [extra] goes under extra"
    );
}

// ---------------------------------------------------------------- every old URL

fn every_old_url_is_served(kind: Kind) {
    let (imported, _, site) = import_and_build(kind);
    let problems = missing_old_urls(kind, &imported, &site.out);
    assert!(
        problems.is_empty(),
        "{}: {} old URL(s) of {}.old-urls.txt are not served by the imported site:\n  {}\n\
         --- the import's report\n{}",
        kind.name,
        problems.len(),
        kind.name,
        problems.join("\n  "),
        imported.report()
    );
}

#[test]
fn jekyll_every_old_url_is_served() {
    every_old_url_is_served(JEKYLL);
}

#[test]
fn hugo_every_old_url_is_served() {
    every_old_url_is_served(HUGO);
}

#[test]
fn zola_every_old_url_is_served() {
    every_old_url_is_served(ZOLA);
}

/// GETs `site_path` under the base path from `server`, following HTTP redirects and
/// redirect pages (meta refresh) up to 5 hops: it must end on a page (status 200,
/// text/html, not a redirect), or for a `.xml` path on an RSS or Atom feed.
fn serve_over_http(server: &StaticServer, base_url: &str, site_path: &str) -> Result<(), String> {
    let base = Url::parse(base_url).unwrap();
    let mut url = base.join(site_path.trim_start_matches('/')).unwrap();
    let mut trail = vec![url.path().to_string()];
    let outcome = loop {
        if trail.len() > 6 {
            break Err("more than 5 redirects".to_string());
        }
        let response = static_server::get(server.addr, url.path());
        if (300..400).contains(&response.status) {
            let location = response.header("location").unwrap_or_default();
            url = url.join(location).unwrap();
            trail.push(url.path().to_string());
            continue;
        }
        if response.status != 200 {
            break Err(format!("status {}", response.status));
        }
        let text = response.text();
        let content_type = response.header("content-type").unwrap_or_default();
        if site_path.ends_with(".xml") {
            break feed_format(&text)
                .map(|_| ())
                .ok_or_else(|| format!("not a feed ({content_type})"));
        }
        if !content_type.starts_with("text/html") {
            break Err(format!("served as {content_type}, not a page"));
        }
        match refresh_target(&html::parse(&text)) {
            Some(target) => {
                let next = url.join(&target).unwrap();
                if next.origin() != base.origin() {
                    break Err(format!("redirects off the site, to {next}"));
                }
                url = next;
                trail.push(url.path().to_string());
            }
            None => break Ok(()),
        }
    };
    outcome.map_err(|why| format!("{why} ({})", trail.join(" -> ")))
}

#[test]
fn jekyll_old_urls_are_served_over_http_under_the_base_path() {
    let (imported, _, site) = import_and_build(JEKYLL);
    let base_path = JEKYLL.base_path();
    assert_eq!(base_path, "/blog/");
    let server = StaticServer::start(&site.out, &base_path);
    let mut problems = Vec::new();
    for old in JEKYLL.old_urls() {
        if let Err(why) = serve_over_http(&server, JEKYLL.base_url, &old.path) {
            problems.push(format!("{}: {why}", old.path));
        }
    }
    let outside: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| !r.starts_with(&base_path))
        .collect();
    assert!(
        problems.is_empty(),
        "old URLs not served under {base_path} by a plain static server:\n  {}\n--- report\n{}",
        problems.join("\n  "),
        imported.report()
    );
    assert!(
        outside.is_empty(),
        "requests outside {base_path}: {outside:?}"
    );
}

// ---------------------------------------------------------------- links and fragments

/// Every internal link of the built site lands, fragments included; and the links the
/// fixture's authors wrote in each dialect are there, with fragments.
fn links_and_fragments_land(kind: Kind, named: &[(&str, &str)]) {
    let (imported, _, site) = import_and_build(kind);
    let (with_fragment, problems) = check_internal_links(&site.out, kind.base_url);
    assert!(
        problems.is_empty(),
        "{}: internal links of the built site that do not land:\n  {}\n--- report\n{}",
        kind.name,
        problems.join("\n  "),
        imported.report()
    );
    for (old_url, text) in named {
        let (at, page, _) = page_at_old_url(kind, &site.out, old_url);
        let anchor = link_named(&page, text, &at);
        assert!(
            site_path_of(kind.base_url, &at, &anchor.href).is_some(),
            "{}: the link {text:?} on {at} leaves the site: {:?}",
            kind.name,
            anchor.href
        );
        for raw in ["{%", "{{", "@/"] {
            assert!(
                !anchor.href.contains(raw),
                "{}: the link {text:?} on {at} was not rewritten: {:?}",
                kind.name,
                anchor.href
            );
        }
    }
    assert!(
        with_fragment >= 4,
        "{}: only {with_fragment} internal links with a fragment were found in the built site",
        kind.name
    );
}

#[test]
fn jekyll_links_and_fragments_land() {
    links_and_fragments_land(
        JEKYLL,
        &[
            ("/", "the first post"),
            ("/", "about this site"),
            ("/notes/2020/05/01/first-post.html", "the second one"),
            ("/notes/2020/05/01/first-post.html", "its tips heading"),
            ("/notes/2020/05/01/first-post.html", "Back to it"),
            ("/notes/2020/05/01/first-post.html", "Back to that"),
            ("/notes/2020/05/01/first-post.html", "this heading"),
            ("/howto/2020/06/15/second-post.html", "the first post"),
            ("/custom/path/", "the about page"),
            ("/about.html", "the post that moved"),
        ],
    );
}

#[test]
fn hugo_links_and_fragments_land() {
    links_and_fragments_land(
        HUGO,
        &[
            ("/", "Other post"),
            ("/2022/03/hello-hugo/", "the other one"),
            ("/2022/03/hello-hugo/", "its heading"),
            ("/2022/03/hello-hugo/", "JSON post"),
            ("/2022/03/hello-hugo/", "back to it"),
            ("/2022/03/hello-hugo/", "back to that"),
            ("/2022/03/hello-hugo/", "this heading"),
            ("/2022/04/other-post/", "the first post"),
            ("/2022/06/json-post/", "the about page"),
        ],
    );
}

#[test]
fn zola_links_and_fragments_land() {
    links_and_fragments_land(
        ZOLA,
        &[
            ("/", "the blog"),
            ("/", "about this site"),
            ("/blog/first/", "the other one"),
            ("/blog/first/", "its last heading"),
            ("/blog/first/", "the page with a custom path"),
            ("/blog/first/", "the dated post"),
            ("/blog/first/", "back to it"),
            ("/blog/first/", "back to that"),
            ("/blog/first/", "this heading"),
            ("/blog/another-one/", "the first post"),
        ],
    );
}

/// The fragment of a link lands on the heading the source's id named (by its text).
fn fragment_names_the_heading(
    kind: Kind,
    old_url: &str,
    link: &str,
    target_old_url: &str,
    heading: &str,
) {
    let (_, _, site) = import_and_build(kind);
    let (at, page, _) = page_at_old_url(kind, &site.out, old_url);
    let anchor = link_named(&page, link, &at);
    let (path, fragment) = site_path_of(kind.base_url, &at, &anchor.href).unwrap();
    let fragment = fragment.unwrap_or_else(|| {
        panic!(
            "{}: the link {link:?} on {at} lost its fragment: {:?}",
            kind.name, anchor.href
        )
    });
    let (target_at, target, target_html) = page_at_old_url(kind, &site.out, target_old_url);
    assert_eq!(
        path, target_at,
        "{}: the link {link:?} goes elsewhere",
        kind.name
    );
    let holder = target
        .tags
        .iter()
        .find(|t| t.attr("id") == Some(fragment.as_str()))
        .unwrap_or_else(|| panic!("{}: no id {fragment:?} on {target_at}", kind.name));
    assert!(
        matches!(
            holder.name.as_str(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        ),
        "{}: #{fragment} on {target_at} is a <{}>, not the heading {heading:?}",
        kind.name,
        holder.name
    );
    // Typographic apostrophes read as plain ones.
    let text = visible_text(&target_html).replace('\u{2019}', "'");
    assert!(
        text.contains(heading),
        "{}: no heading {heading:?} on {target_at}",
        kind.name
    );
}

#[test]
fn jekyll_gfm_heading_ids_are_rewritten_to_sheafs() {
    // GitHub Pages' kramdown (GFM input) ids: "What's new in 2.0?" is `whats-new-in-20`
    // (sheaf: `whats-new-in-2-0`), "Tips for C++ & Ruby" is `tips-for-c--ruby` (sheaf:
    // `tips-for-c-plus-plus-and-ruby`).
    let first = "/notes/2020/05/01/first-post.html";
    fragment_names_the_heading(JEKYLL, first, "this heading", first, "What's new in 2.0?");
    fragment_names_the_heading(
        JEKYLL,
        first,
        "its tips heading",
        "/howto/2020/06/15/second-post.html",
        "Tips for C++ & Ruby",
    );
}

#[test]
fn hugo_github_heading_ids_are_rewritten_to_sheafs() {
    // "C++ & Rust" is `c--rust` for goldmark's github style; "Go 1.22: what's new" is
    // `go-122-whats-new`.
    let first = "/2022/03/hello-hugo/";
    fragment_names_the_heading(HUGO, first, "this heading", first, "C++ & Rust");
    fragment_names_the_heading(
        HUGO,
        first,
        "its heading",
        "/2022/04/other-post/",
        "Go 1.22: what's new",
    );
}

#[test]
fn zola_heading_ids_are_rewritten_to_sheafs() {
    // "What's next" is `what-s-next` for Zola, "Rust & C++" is `rust-c`.
    let first = "/blog/first/";
    fragment_names_the_heading(ZOLA, first, "this heading", first, "Rust & C++");
    fragment_names_the_heading(
        ZOLA,
        first,
        "its last heading",
        "/blog/another-one/",
        "What's next",
    );
}

#[test]
fn dialect_links_are_rewritten_to_relative_md_links() {
    for (kind, dialect) in [
        (
            JEKYLL,
            &["{% link", "{% post_url", "site.baseurl", "site.url"][..],
        ),
        (HUGO, &["{{< ref", "{{< relref", "{{% ref"][..]),
        (ZOLA, &["](@/"][..]),
    ] {
        let imported = import(kind, &[]);
        for (title, page) in imported.pages() {
            for raw in dialect {
                assert!(
                    !page.body.contains(raw),
                    "{}: {} ({title}) still holds `{raw}`:\n{}",
                    kind.name,
                    page.rel,
                    page.body
                );
            }
        }
        let report = imported.report();
        assert!(
            report.contains("links rewritten"),
            "{}: the report does not count the links rewritten:\n{report}",
            kind.name
        );
    }
}

// ---------------------------------------------------------------- feeds

/// Every feed the imported site writes (the site's own and the copy at the old feed's
/// path) gives each post the id the old feed gave it.
fn feed_ids_are_the_old_ones(kind: Kind, old_ids: &[(&str, &str)]) {
    let (imported, _, site) = import_and_build(kind);
    let old_feed = support::read(file_for(&site.out, kind.old_feed));
    assert_eq!(
        feed_format(&old_feed),
        Some(kind.old_feed_format),
        "{}: {} is not {:?} any more",
        kind.name,
        kind.old_feed,
        kind.old_feed_format
    );
    let mut problems = Vec::new();
    let mut feeds = vec![kind.old_feed.to_string()];
    for own in ["/rss.xml", "/atom.xml"] {
        if !feeds.iter().any(|f| f == own) {
            feeds.push(own.to_string());
        }
    }
    for feed in &feeds {
        let text = support::read(file_for(&site.out, feed));
        let ids: BTreeMap<String, String> = match feed_format(&text) {
            Some(FeedFormat::Atom) => {
                let parsed: atom_syndication::Feed = text.parse().unwrap();
                parsed
                    .entries()
                    .iter()
                    .map(|e| (e.title().value.clone(), e.id().to_string()))
                    .collect()
            }
            Some(FeedFormat::Rss) => {
                let parsed: rss::Channel = text.parse().unwrap();
                parsed
                    .items()
                    .iter()
                    .map(|i| {
                        (
                            i.title().unwrap_or_default().to_string(),
                            i.guid().map(|g| g.value().to_string()).unwrap_or_default(),
                        )
                    })
                    .collect()
            }
            None => {
                problems.push(format!("{feed} is not a feed"));
                continue;
            }
        };
        for (title, old_id) in old_ids {
            match ids.get(*title) {
                Some(id) if id == old_id => {}
                Some(id) => problems.push(format!("{feed}: {title:?} has id {id}, was {old_id}")),
                None => problems.push(format!(
                    "{feed}: no item titled {title:?} (items: {:?})",
                    ids.keys().collect::<Vec<_>>()
                )),
            }
        }
    }
    // Feed readers follow the old feed's URL; the new feed must be at it, and
    // the pages' ids must not change, or every post shows as new.
    assert!(
        problems.is_empty(),
        "{}: feed ids differ from the old feed's:\n  {}\n--- report\n{}",
        kind.name,
        problems.join("\n  "),
        imported.report()
    );
}

#[test]
fn jekyll_feed_ids_are_the_old_feeds() {
    // jekyll-feed writes `<id>{{ post.id | absolute_url }}</id>`, and a post's id is
    // File.join(File.dirname(url), slug): its URL without `.html`, or for a post with its
    // own permalink /custom/path/, `/custom/` + its file name's slug.
    feed_ids_are_the_old_ones(
        JEKYLL,
        &[
            (
                "First post",
                "https://jekyll.example.com/blog/notes/2020/05/01/first-post",
            ),
            (
                "Second post",
                "https://jekyll.example.com/blog/howto/2020/06/15/second-post",
            ),
            (
                "A post with its own permalink",
                "https://jekyll.example.com/blog/custom/custom-permalink",
            ),
            (
                "A post that moved",
                "https://jekyll.example.com/blog/2021/02/20/moved-post",
            ),
        ],
    );
}

#[test]
fn hugo_feed_ids_are_the_old_feeds() {
    // Hugo's RSS template: `<guid>{{ .Permalink }}</guid>`.
    feed_ids_are_the_old_ones(
        HUGO,
        &[
            (
                "First Hugo post",
                "https://hugo.example.org/2022/03/hello-hugo/",
            ),
            ("Other post", "https://hugo.example.org/2022/04/other-post/"),
            (
                "Bundle post",
                "https://hugo.example.org/2022/05/bundle-post/",
            ),
            ("Json post", "https://hugo.example.org/2022/06/json-post/"),
            (
                "A post with its own URL",
                "https://hugo.example.org/special/place/",
            ),
        ],
    );
}

#[test]
fn zola_feed_ids_are_the_old_feeds() {
    // Zola's atom.xml: `<id>{{ page.permalink }}</id>`.
    feed_ids_are_the_old_ones(
        ZOLA,
        &[
            ("First Zola post", "https://zola.example.net/blog/first/"),
            ("Other post", "https://zola.example.net/blog/another-one/"),
            (
                "A page with its own path",
                "https://zola.example.net/custom/url/",
            ),
            (
                "Dated by its file name",
                "https://zola.example.net/blog/dated/",
            ),
            ("Bundle post", "https://zola.example.net/blog/bundle/"),
        ],
    );
}

// ---------------------------------------------------------------- front matter

#[test]
fn unknown_keys_go_under_extra_and_into_the_report() {
    let cases: [(Kind, &str, &str, Value); 5] = [
        (JEKYLL, "First post", "layout", Value::from("post")),
        (JEKYLL, "First post", "comments", Value::Bool(true)),
        (HUGO, "First Hugo post", "showToc", Value::Bool(true)),
        (HUGO, "About", "menu", Value::from("main")),
        (HUGO, "Json post", "comments", Value::Bool(false)),
    ];
    for (kind, title, key, value) in cases {
        let imported = import(kind, &[]);
        let page = imported.page(title);
        assert_eq!(
            page.extra(key),
            Some(&value),
            "{}: `{key}` of {title:?} is not under extra:\n{}",
            kind.name,
            page.describe()
        );
        assert!(
            page.get(key).is_none(),
            "{}: `{key}` is left at the top level",
            kind.name
        );
        let report = imported.report();
        assert!(
            report
                .lines()
                .any(|l| l.contains("extra") && l.contains(key)),
            "{}: the report does not list `{key}` as moved to extra:\n{report}",
            kind.name
        );
    }
    // Zola's own [extra] stays extra; `template` is dropped, and reported.
    let imported = import(ZOLA, &[]);
    let first = imported.page("First Zola post");
    assert_eq!(
        first.extra("toc_depth"),
        Some(&Value::from(2)),
        "{}",
        first.describe()
    );
    assert!(first.get("template").is_none(), "{}", first.describe());
    assert!(
        imported.report().contains("template"),
        "the report does not say `template` was dropped:\n{}",
        imported.report()
    );
    // in_search_index = false is search: false.
    let other = imported.page("Other post");
    assert_eq!(
        other.get("search"),
        Some(&Value::Bool(false)),
        "{}",
        other.describe()
    );
}

#[test]
fn categories_become_tags() {
    let cases: [(Kind, &str, &[&str]); 4] = [
        // `tags: rust web` is Jekyll's space-separated list.
        (JEKYLL, "First post", &["notes", "rust", "web"]),
        (JEKYLL, "Second post", &["howto", "jekyll"]),
        (HUGO, "First Hugo post", &["notes", "rust", "web"]),
        (ZOLA, "First Zola post", &["notes", "rust", "web"]),
    ];
    for (kind, title, tags) in cases {
        let page = import(kind, &[]).page(title);
        let expected: BTreeSet<String> = tags.iter().map(|t| t.to_string()).collect();
        assert_eq!(page.tags(), expected, "{}: {}", kind.name, page.describe());
        assert!(page.extra("categories").is_none(), "{}", page.describe());
    }
}

#[test]
fn categories_stay_in_extra_when_asked() {
    let cases: [(Kind, &str, &[&str], &[&str]); 3] = [
        (JEKYLL, "First post", &["rust", "web"], &["notes"]),
        (HUGO, "First Hugo post", &["rust", "web"], &["notes"]),
        (ZOLA, "First Zola post", &["rust", "web"], &["notes"]),
    ];
    for (kind, title, tags, categories) in cases {
        let page = import(kind, &["--categories", "extra"]).page(title);
        let expected: BTreeSet<String> = tags.iter().map(|t| t.to_string()).collect();
        assert_eq!(page.tags(), expected, "{}: {}", kind.name, page.describe());
        let categories: Vec<Value> = categories.iter().map(|c| Value::from(*c)).collect();
        assert_eq!(
            page.extra("categories"),
            Some(&Value::Sequence(categories)),
            "{}: {}",
            kind.name,
            page.describe()
        );
    }
}

/// The instant a front-matter date names (a date alone is midnight UTC).
fn instant(value: Option<&Value>, what: &str) -> chrono::DateTime<chrono::FixedOffset> {
    let text = match value {
        Some(Value::String(s)) => s.clone(),
        other => panic!("{what}: not a date string: {other:?}"),
    };
    chrono::DateTime::parse_from_rfc3339(&text)
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().fixed_offset())
        })
        .unwrap_or_else(|e| panic!("{what}: {text:?} is neither RFC 3339 nor YYYY-MM-DD: {e}"))
}

#[test]
fn jekyll_dates_come_from_front_matter_or_the_file_name() {
    let imported = import(JEKYLL, &[]);
    let first = imported.page("First post");
    // `2020-05-01 10:00:00 +0100`, Jekyll's form, is RFC 3339 now, the same instant.
    assert_eq!(
        instant(first.get("date"), "First post date"),
        chrono::DateTime::parse_from_rfc3339("2020-05-01T10:00:00+01:00").unwrap()
    );
    let second = imported.page("Second post");
    let date = second
        .str("date")
        .unwrap_or_else(|| panic!("{}", second.describe()));
    assert!(
        date.starts_with("2020-06-15"),
        "the date of _posts/2020-06-15-second-post.md comes from its name: {date}"
    );
    let moved = imported.page("A post that moved");
    assert!(
        moved
            .str("updated")
            .is_some_and(|u| u.starts_with("2021-03-01")),
        "last_modified_at is `updated`: {}",
        moved.describe()
    );
    assert_eq!(
        moved.str("description"),
        Some("It used to live elsewhere."),
        "excerpt is the description when there is none"
    );
    // redirect_from became aliases (whatever else the importer adds there).
    let aliases: Vec<&str> = moved
        .get("aliases")
        .and_then(Value::as_sequence)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for old in ["/old/moved-post/", "/2019/moved.html"] {
        assert!(
            aliases.contains(&old),
            "{old} not in aliases: {}",
            moved.describe()
        );
    }
}

#[test]
fn zola_and_hugo_dates_are_carried() {
    let zola = import(ZOLA, &[]);
    let dated = zola.page("Dated by its file name");
    assert!(
        dated
            .str("date")
            .is_some_and(|d| d.starts_with("2021-03-04")),
        "Zola's 2021-03-04-dated.md is dated by its name: {}",
        dated.describe()
    );
    let first = zola.page("First Zola post");
    assert_eq!(
        instant(first.get("updated"), "updated"),
        chrono::DateTime::parse_from_rfc3339("2021-02-03T10:20:30Z").unwrap(),
        "a TOML datetime is written RFC 3339"
    );
    let hugo = import(HUGO, &[]);
    let first = hugo.page("First Hugo post");
    assert_eq!(
        instant(first.get("updated"), "updated"),
        chrono::DateTime::parse_from_rfc3339("2022-03-10T09:00:00Z").unwrap(),
        "Hugo's lastmod is `updated`: {}",
        first.describe()
    );
    let other = hugo.page("Other post");
    assert_eq!(
        other.str("description"),
        Some("The other post, about Go."),
        "Hugo's summary is the description when there is none"
    );
}

#[test]
fn drafts_stay_drafts_and_are_not_published() {
    let cases: [(Kind, &[&str]); 3] = [
        (JEKYLL, &["Unfinished idea", "Not published"]),
        (HUGO, &["Draft post"]),
        (ZOLA, &["Draft post"]),
    ];
    for (kind, titles) in cases {
        let (imported, _, site) = import_and_build(kind);
        for title in titles {
            let page = imported.page(title);
            assert_eq!(
                page.get("draft"),
                Some(&Value::Bool(true)),
                "{}: {title:?} is no longer a draft:\n{}",
                kind.name,
                page.describe()
            );
            for (file, html) in site.html_files() {
                assert!(
                    !html.contains(title),
                    "{}: the draft {title:?} is published, in {file}",
                    kind.name
                );
            }
        }
    }
}

#[test]
fn sections_bundles_and_static_files_are_carried() {
    let cases: [(Kind, &[(&str, &str)]); 3] = [
        (
            JEKYLL,
            &[("assets/img.png", "/assets/img.png"), ("CNAME", "/CNAME")],
        ),
        (
            HUGO,
            &[
                ("static/images/logo.png", "/images/logo.png"),
                ("static/files/notes.txt", "/files/notes.txt"),
            ],
        ),
        (
            ZOLA,
            &[
                ("static/logo.png", "/logo.png"),
                ("static/files/readme.txt", "/files/readme.txt"),
            ],
        ),
    ];
    for (kind, files) in cases {
        let (_, _, site) = import_and_build(kind);
        for (source, served) in files {
            let original = fs::read(kind.source().join(source)).unwrap();
            let out = file_for(&site.out, served);
            assert_eq!(
                fs::read(&out).ok().as_deref(),
                Some(&original[..]),
                "{}: {source} is not served, unchanged, at {served}",
                kind.name
            );
        }
    }
    // Bundles stay bundles: their pictures are on their pages.
    for (kind, old_url, alt) in [
        (HUGO, "/2022/05/bundle-post/", "The same photo, inline"),
        (ZOLA, "/blog/bundle/", "A small diagram"),
    ] {
        let (_, _, site) = import_and_build(kind);
        let (at, page, _) = page_at_old_url(kind, &site.out, old_url);
        let img = page
            .tags_named("img")
            .find(|i| i.attr("alt") == Some(alt))
            .unwrap_or_else(|| panic!("{}: no <img alt={alt:?}> on {at}", kind.name));
        let src = img.attr("src").unwrap();
        let (path, _) = site_path_of(kind.base_url, &at, src).unwrap();
        assert!(
            file_for(&site.out, &path).is_file(),
            "{}: the bundle's picture {src} on {at} is not in the output",
            kind.name
        );
    }
    // Sections carry their settings.
    let zola = import(ZOLA, &[]);
    let blog = ContentFile::parse(
        "content/blog/_index.md",
        &support::read(zola.dest.join("content/blog/_index.md")),
    );
    assert_eq!(blog.str("sort_by"), Some("date"), "{}", blog.describe());
    assert_eq!(
        blog.get("paginate_by"),
        Some(&Value::from(3)),
        "{}",
        blog.describe()
    );
    let jekyll = import(JEKYLL, &[]);
    let posts = support::read(jekyll.dest.join("content/posts/_index.md"));
    let posts = ContentFile::parse("content/posts/_index.md", &posts);
    assert_eq!(posts.str("sort_by"), Some("date"), "{}", posts.describe());
}

// ---------------------------------------------------------------- shortcodes

/// The shortcode is visible on the built page, and the report locates it at a line of a
/// file that holds it.
fn unconvertible_is_visible_and_reported(kind: Kind, old_url: &str, visible: &str, name: &str) {
    let (imported, _, site) = import_and_build(kind);
    let (at, _, html) = page_at_old_url(kind, &site.out, old_url);
    let text = visible_text(&html);
    assert!(
        text.contains(visible),
        "{}: `{visible}` is not visible on {at}:\n{text}",
        kind.name
    );
    assert_reported_at_its_line(&imported, name);
    let report = imported.report();
    let line = report.lines().find(|l| l.contains(name)).unwrap();
    assert!(
        line.contains("hint"),
        "{}: the report gives no hint for `{name}`:\n{line}",
        kind.name
    );
}

#[test]
fn jekyll_unknown_liquid_tag_is_visible_and_reported() {
    unconvertible_is_visible_and_reported(
        JEKYLL,
        "/notes/2020/05/01/first-post.html",
        "{% include youtube.html id=\"x\" %}",
        "youtube.html",
    );
}

#[test]
fn hugo_unknown_shortcode_is_visible_and_reported() {
    unconvertible_is_visible_and_reported(
        HUGO,
        "/2022/03/hello-hugo/",
        "{{< tweet user=\"x\" id=\"1\" >}}",
        "tweet",
    );
}

#[test]
fn zola_unknown_shortcode_is_visible_and_reported() {
    unconvertible_is_visible_and_reported(ZOLA, "/blog/first/", "youtube(id=\"x\")", "youtube");
}

#[test]
fn highlight_blocks_and_figures_are_converted() {
    for (kind, old_url, code, raw) in [
        (
            JEKYLL,
            "/notes/2020/05/01/first-post.html",
            "def greet(name)",
            "highlight ruby",
        ),
        (
            HUGO,
            "/2022/03/hello-hugo/",
            "func main() { println(\"hello\") }",
            "highlight go",
        ),
    ] {
        let (_, _, site) = import_and_build(kind);
        let (at, page, html) = page_at_old_url(kind, &site.out, old_url);
        assert!(
            page.tags_named("pre").count() >= 1,
            "{}: no <pre> code block on {at}",
            kind.name
        );
        let text = visible_text(&html);
        assert!(text.contains(code), "{}: `{code}` not on {at}", kind.name);
        assert!(
            !text.contains(raw),
            "{}: `{raw}` is left as text on {at}",
            kind.name
        );
    }
    // Hugo's figure is sheaf's figure component.
    let (imported, _, site) = import_and_build(HUGO);
    let (at, page, html) = page_at_old_url(HUGO, &site.out, "/2022/05/bundle-post/");
    assert!(
        page.tags_named("figure").count() >= 1,
        "no <figure> on {at}"
    );
    assert!(
        page.tags_named("img")
            .any(|i| i.attr("alt") == Some("A grey square")),
        "the figure's picture has lost its alt text on {at}"
    );
    let text = visible_text(&html);
    assert!(
        text.contains("The only photo in the fixture."),
        "no caption on {at}"
    );
    assert!(
        !text.contains("{{<"),
        "a shortcode is left as text on {at}:\n{text}"
    );
    let bundle = imported.page("Bundle post");
    assert!(
        bundle.body.contains("{{ figure("),
        "the figure is not a sheaf figure call:\n{}",
        bundle.body
    );
}

// ---------------------------------------------------------------- broken links

#[test]
fn a_link_the_source_already_broke_sets_links_warn_and_is_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("zola");
    support::copy_dir(&ZOLA.source(), &source);
    // A root-absolute link to a page the site never had: Zola does not check those, so
    // real Zola sites publish them.
    let about = source.join("content/about.md");
    let text = support::read(&about);
    support::write(
        &about,
        &format!("{text}\nSee [the archive](/blog/archive-that-never-was/).\n"),
    );
    let imported = import_from("zola", &source, &[]);
    let config = imported.config();
    assert_eq!(
        config_str(&config, &["links", "internal"]),
        Some("warn"),
        "config.yaml does not set links: {{ internal: warn }}:\n{}",
        serde_yaml::to_string(&config).unwrap()
    );
    let broken = "archive-that-never-was";
    assert_reported_at_its_line(&imported, broken);
    let report = imported.report();
    assert!(
        report.contains("internal: warn"),
        "the report does not say it set links: warn:\n{report}"
    );
    let (run, _) = imported.build_ok();
    let built = format!("{}\n{}", run.stdout, run.stderr);
    let page = imported.page("About");
    let warned = link_warnings(&run);
    assert!(
        warned
            .iter()
            .any(|w| w.contains(broken) && w.contains(&page.rel)),
        "the build does not warn about the broken link, located in {}:\n{built}",
        page.rel
    );
}

// ---------------------------------------------------------------- validators

/// scripts/validate-site (the Nu HTML checker, xmllint, the sitemap schema, lychee for
/// links and fragments) on a built import. The tools come from scripts/install-test-tools;
/// without them (a plain `cargo test` on a new machine) this check is skipped with a note,
/// except on CI, where their absence is a failure.
fn validate(kind: Kind) {
    let (_, _, site) = import_and_build(kind);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tools = [
        repo.join(".tools/node/node_modules/vnu-jar/build/dist/vnu.jar"),
        repo.join(".tools/venv/bin/lychee"),
    ];
    if let Some(missing) = tools.iter().find(|t| !t.exists()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing: run scripts/install-test-tools",
            missing.display()
        );
        eprintln!(
            "SKIPPED validators for the {} import: {} is missing (scripts/install-test-tools)",
            kind.name,
            missing.display()
        );
        return;
    }
    let run = Run::of(
        Command::new(repo.join("scripts/validate-site"))
            .arg(&site.out)
            .arg(kind.base_url),
    );
    assert_eq!(
        run.code,
        Some(0),
        "{}: scripts/validate-site fails on the built import\n{run}",
        kind.name
    );
}

#[test]
fn jekyll_import_passes_the_validators() {
    validate(JEKYLL);
}

#[test]
fn hugo_import_passes_the_validators() {
    validate(HUGO);
}

#[test]
fn zola_import_passes_the_validators() {
    validate(ZOLA);
}

#[test]
fn every_feed_of_each_import_parses() {
    for kind in KINDS {
        let (_, _, site) = import_and_build(kind);
        let mut feeds = 0;
        for rel in site.files() {
            if !rel.ends_with(".xml") || rel == "sitemap.xml" {
                continue;
            }
            let text = site.read(&rel);
            match feed_format(&text) {
                Some(FeedFormat::Atom) => {
                    let feed: atom_syndication::Feed = text.parse().unwrap();
                    assert!(
                        !feed.id().is_empty() && !feed.title().value.is_empty(),
                        "{rel}"
                    );
                    for entry in feed.entries() {
                        assert!(
                            !entry.id().is_empty(),
                            "{}: {rel}: an entry without id",
                            kind.name
                        );
                        assert!(
                            !entry.title().value.is_empty(),
                            "{}: {rel}: an untitled entry",
                            kind.name
                        );
                    }
                }
                Some(FeedFormat::Rss) => {
                    let channel: rss::Channel = text.parse().unwrap();
                    assert!(
                        !channel.title().is_empty() && !channel.link().is_empty(),
                        "{rel}"
                    );
                    for item in channel.items() {
                        assert!(
                            item.guid().is_some(),
                            "{}: {rel}: an item without guid",
                            kind.name
                        );
                        assert!(
                            item.title().is_some() || item.description().is_some(),
                            "{}: {rel}: an item with neither title nor description",
                            kind.name
                        );
                    }
                }
                None => panic!("{}: {rel} is neither RSS nor Atom", kind.name),
            }
            feeds += 1;
        }
        assert!(
            feeds >= 3,
            "{}: only {feeds} feeds in the output",
            kind.name
        );
    }
}

// ================================================================ the checks themselves

#[test]
fn the_old_url_and_link_checks_catch_what_they_should() {
    // A sheaf site with an alias, served under /blog/, and a planted page with a broken
    // fragment and a link that forgot the base path.
    let base = "https://example.org/blog/";
    let site = Site::new()
        .config(&format!("title: T\nbase_url: {base}\n"))
        .page(
            "essays/a.md",
            "---\ntitle: A\ndate: 2024-01-01\naliases: [/old.html]\n---\n## Hello there\n\nText.\n",
        )
        .file(
            "static/planted.html",
            "<!doctype html><html><title>p</title><a href=\"essays/a/#nope\">broken</a>\
             <a href=\"/tags/\">outside</a><a href=\"essays/a/#hello-there\">fine</a></html>",
        )
        .build();
    let served = |path: &str| serve_from_folder(&site.out, base, path);
    assert!(
        matches!(served("/old.html"), Ok(Served::Page { ref at, hops: 1 }) if at == "/essays/a/"),
        "{:?}",
        served("/old.html")
    );
    assert!(matches!(
        served("/essays/a/"),
        Ok(Served::Page { hops: 0, .. })
    ));
    assert!(served("/missing/").is_err());
    assert!(matches!(
        served("/atom.xml"),
        Ok(Served::Feed(FeedFormat::Atom))
    ));
    assert!(matches!(
        served("/rss.xml"),
        Ok(Served::Feed(FeedFormat::Rss))
    ));
    let (with_fragment, problems) = check_internal_links(&site.out, base);
    let problems = problems.join("\n");
    assert!(
        problems.contains("\"broken\"") && problems.contains("#nope"),
        "{problems}"
    );
    assert!(problems.contains("\"outside\""), "{problems}");
    assert!(!problems.contains("\"fine\""), "{problems}");
    assert!(with_fragment >= 2, "{with_fragment}");
    let (at, page, _) = page_at_old_url(
        Kind {
            name: "sheaf",
            base_url: base,
            old_feed: "/atom.xml",
            old_feed_format: FeedFormat::Atom,
        },
        &site.out,
        "/old.html",
    );
    assert_eq!(at, "/essays/a/");
    assert!(anchor_ids(&page).contains("hello-there"));
    let server = StaticServer::start(&site.out, "/blog/");
    serve_over_http(&server, base, "/old.html").unwrap();
    serve_over_http(&server, base, "/rss.xml").unwrap();
    let missing = serve_over_http(&server, base, "/missing/").unwrap_err();
    assert!(missing.contains("404"), "{missing}");
    assert!(serve_over_http(&server, base, "/planted.html").is_ok());
    assert_eq!(
        locations("  content/a.md:12:3  shortcode `x`"),
        [("content/a.md".to_string(), 12)]
    );
}
