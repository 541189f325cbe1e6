//! Publishing to GitHub Pages (DESIGN.md section 8).
//!
//! 1. Both Pages workflows, this repository's `.github/workflows/pages.yml` and the one
//!    `sheaf init` writes, parsed as YAML and checked for structure: triggers,
//!    permissions, concurrency, pinned actions, step order, the base URL handed to the
//!    build and the folder uploaded (actionlint is not available offline).
//! 2. The guide (the repository root is a sheaf site) built for a project site,
//!    `https://example.github.io/guide/`, served by a plain static file server on
//!    127.0.0.1 that has nothing but the site mounted, and only under `/guide/`, with
//!    the site's `404.html` for missing paths, as GitHub Pages serves it. A crawler starts
//!    at the home page (plus `robots.txt` and `sitemap.xml`) and follows every link and
//!    asset of every page, every stylesheet's `url()`, every feed (`<link
//!    rel=alternate>`), every URL in the feeds' entries and every sitemap URL, the
//!    absolute `https://example.github.io/guide/...` ones mapped to the local server.
//!    Zero 404s, and the server never sees a request outside `/guide/`. The 404 page
//!    is fetched at depth (`/guide/a/b/c/`) and everything it references must load.
//! 3. The same for a root base URL, `https://example.org/`, served at `/`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;

use serde_yaml::Value;
use url::Url;

use crate::support::static_server::{Response, StaticServer, get};
use crate::support::{self, html};

const GUIDE_BASE: &str = "https://example.github.io/guide/";
const ROOT_BASE: &str = "https://example.org/";
/// The exact argument the workflows must hand to `sheaf build` (DESIGN.md section 8):
/// configure-pages reports the URL without a trailing slash.
const BASE_URL_ARG: &str = r#"--base-url "${{ steps.pages.outputs.base_url }}/""#;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ================================================================ 1. workflows

/// A workflow file parsed, with its name for messages.
struct Workflow {
    name: String,
    doc: Value,
}

impl Workflow {
    fn parse(name: &str, text: &str) -> Workflow {
        let doc: Value = serde_yaml::from_str(text)
            .unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}\n{text}"));
        assert!(doc.is_mapping(), "{name}: the document is not a mapping");
        Workflow {
            name: name.to_string(),
            doc,
        }
    }

    fn get(&self, path: &[&str]) -> &Value {
        let mut value = &self.doc;
        for key in path {
            value = value
                .get(*key)
                .unwrap_or_else(|| panic!("{}: no `{}`", self.name, path.join(".")));
        }
        value
    }

    fn str_at(&self, path: &[&str]) -> &str {
        self.get(path)
            .as_str()
            .unwrap_or_else(|| panic!("{}: `{}` is not a string", self.name, path.join(".")))
    }

    /// `on:` (a YAML 1.1 parser would read the key as `true`; serde_yaml reads YAML 1.2).
    fn triggers(&self) -> &Value {
        self.doc
            .get("on")
            .or_else(|| self.doc.as_mapping().and_then(|m| m.get(Value::Bool(true))))
            .unwrap_or_else(|| panic!("{}: no `on:` triggers", self.name))
    }

    fn steps(&self, job: &str) -> Vec<Step> {
        self.get(&["jobs", job, "steps"])
            .as_sequence()
            .unwrap_or_else(|| panic!("{}: jobs.{job}.steps is not a list", self.name))
            .iter()
            .map(|v| Step(v.clone()))
            .collect()
    }
}

#[derive(Clone)]
struct Step(Value);

impl Step {
    fn uses(&self) -> Option<&str> {
        self.0.get("uses").and_then(Value::as_str)
    }
    /// The action without its version: `actions/checkout`.
    fn action(&self) -> Option<&str> {
        self.uses().map(|u| u.split('@').next().unwrap_or(u))
    }
    fn run(&self) -> Option<&str> {
        self.0.get("run").and_then(Value::as_str)
    }
    fn id(&self) -> Option<&str> {
        self.0.get("id").and_then(Value::as_str)
    }
    fn with(&self, key: &str) -> Option<&Value> {
        self.0.get("with").and_then(|w| w.get(key))
    }
    fn describe(&self) -> String {
        serde_yaml::to_string(&self.0).unwrap_or_default()
    }
}

/// Every string anywhere inside a YAML value.
fn strings_in(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::String(s) => into.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|v| strings_in(v, into)),
        Value::Mapping(map) => map.iter().for_each(|(k, v)| {
            strings_in(k, into);
            strings_in(v, into);
        }),
        Value::Tagged(t) => strings_in(&t.value, into),
        _ => {}
    }
}

/// The step ids a `${{ ... steps.<id>. ... }}` expression in `text` refers to.
fn step_refs(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (at, _) in text.match_indices("steps.") {
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '.');
        if !before_ok {
            continue;
        }
        let id: String = text[at + "steps.".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if !id.is_empty() {
            ids.push(id);
        }
    }
    ids
}

/// The value of `--output DIR` in a `sheaf build` command line; `public` by default.
fn build_output(run: &str) -> String {
    let words: Vec<&str> = run.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[0] == "--output")
        .map(|w| w[1].trim_matches('"').trim_end_matches('/').to_string())
        .unwrap_or_else(|| "public".to_string())
}

/// What both workflows must get right. Returns the `uses:` of every step, to compare
/// the versions of the two files.
fn check_pages_workflow(wf: &Workflow) -> BTreeMap<String, String> {
    let name = &wf.name;

    // Triggers: every push to main, and by hand.
    let on = wf.triggers();
    let branches: Vec<&str> = on
        .get("push")
        .and_then(|p| p.get("branches"))
        .and_then(Value::as_sequence)
        .unwrap_or_else(|| panic!("{name}: on.push.branches missing"))
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(branches, ["main"], "{name}: on.push.branches");
    assert!(
        on.get("workflow_dispatch").is_some(),
        "{name}: on.workflow_dispatch missing"
    );

    // Exactly the permissions deploy-pages needs, nothing broader.
    let permissions = wf
        .get(&["permissions"])
        .as_mapping()
        .unwrap_or_else(|| panic!("{name}: permissions is not a mapping"));
    let permissions: BTreeMap<&str, &str> = permissions
        .iter()
        .map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap()))
        .collect();
    assert_eq!(
        permissions,
        BTreeMap::from([
            ("contents", "read"),
            ("id-token", "write"),
            ("pages", "write")
        ]),
        "{name}: permissions"
    );

    // One deployment at a time, and a running one is never cancelled half-way.
    assert_eq!(wf.str_at(&["concurrency", "group"]), "pages", "{name}");
    assert_eq!(
        wf.get(&["concurrency", "cancel-in-progress"]).as_bool(),
        Some(false),
        "{name}: concurrency.cancel-in-progress"
    );

    // Every job runs on a runner, and every action is pinned to a release.
    let jobs = wf.get(&["jobs"]).as_mapping().unwrap();
    let job_names: BTreeSet<&str> = jobs.keys().filter_map(Value::as_str).collect();
    assert_eq!(
        job_names,
        BTreeSet::from(["build", "deploy"]),
        "{name}: jobs"
    );
    let mut versions = BTreeMap::new();
    for job in &job_names {
        assert!(
            wf.get(&["jobs", job, "runs-on"]).as_str().is_some(),
            "{name}: jobs.{job}.runs-on"
        );
        let steps = wf.steps(job);
        let mut ids_so_far: Vec<&str> = Vec::new();
        for step in &steps {
            // A `steps.<id>` reference must name an earlier step of the same job.
            let mut texts = Vec::new();
            strings_in(&step.0, &mut texts);
            for text in &texts {
                for id in step_refs(text) {
                    assert!(
                        ids_so_far.contains(&id.as_str()),
                        "{name}: jobs.{job} refers to `steps.{id}` before any step has that id:\n{}",
                        step.describe()
                    );
                }
            }
            if let Some(id) = step.id() {
                ids_so_far.push(id);
            }
            let Some(uses) = step.uses() else { continue };
            let (action, version) = uses
                .split_once('@')
                .unwrap_or_else(|| panic!("{name}: `{uses}` has no @version"));
            assert!(
                !matches!(version, "main" | "master" | "stable" | "nightly" | "latest"),
                "{name}: `{uses}` follows a branch, not a release"
            );
            if action.starts_with("actions/") || action.starts_with("Swatinem/") {
                assert!(
                    version
                        .strip_prefix('v')
                        .is_some_and(|n| n.parse::<u32>().is_ok()),
                    "{name}: `{uses}` should be pinned to a major version (vN)"
                );
            }
            if action == "dtolnay/rust-toolchain" {
                check_toolchain_version(name, version);
            }
            if let Some(old) = versions.insert(action.to_string(), version.to_string()) {
                assert_eq!(old, version, "{name}: {action} at two versions");
            }
        }
    }

    // The build job, in order: checkout, toolchain, configure-pages, build, upload.
    let steps = wf.steps("build");
    let position = |what: &str, found: &dyn Fn(&Step) -> bool| -> usize {
        steps
            .iter()
            .position(found)
            .unwrap_or_else(|| panic!("{name}: the build job has no {what} step"))
    };
    let checkout = position("actions/checkout", &|s| {
        s.action() == Some("actions/checkout")
    });
    // A toolchain only where sheaf is compiled (this repository's workflow).
    let toolchain = steps
        .iter()
        .position(|s| s.action() == Some("dtolnay/rust-toolchain"));
    let configure = position("actions/configure-pages", &|s| {
        s.action() == Some("actions/configure-pages")
    });
    assert_eq!(
        steps[configure].id(),
        Some("pages"),
        "{name}: configure-pages needs `id: pages`, the build reads steps.pages.outputs"
    );
    let build = position("`sheaf build`", &|s| {
        s.run()
            .is_some_and(|r| r.contains("sheaf build") || r.contains("-- build"))
    });
    let run = steps[build].run().unwrap();
    assert!(
        run.contains(BASE_URL_ARG),
        "{name}: the build must get the Pages URL as `{BASE_URL_ARG}`:\n{run}"
    );
    let upload = position("actions/upload-pages-artifact", &|s| {
        s.action() == Some("actions/upload-pages-artifact")
    });
    let toolchain_ok = toolchain.is_none_or(|t| checkout < t && t < build);
    assert!(
        checkout < build && toolchain_ok && configure < build && build < upload,
        "{name}: build job steps out of order (checkout {checkout}, toolchain {toolchain:?}, \
         configure-pages {configure}, build {build}, upload {upload})"
    );
    let uploaded = steps[upload]
        .with("path")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{name}: upload-pages-artifact has no `with.path`"));
    assert_eq!(
        uploaded.trim_start_matches("./").trim_end_matches('/'),
        build_output(run),
        "{name}: the uploaded folder is not the folder the build writes"
    );
    assert_eq!(
        steps[upload]
            .with("include-hidden-files")
            .and_then(Value::as_bool),
        Some(true),
        "{name}: upload-pages-artifact would leave out static/.well-known/ and .nojekyll"
    );

    // The deploy job: after build, in the github-pages environment, with its URL.
    let needs: Vec<&str> = match wf.get(&["jobs", "deploy", "needs"]) {
        Value::String(s) => vec![s.as_str()],
        Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
        other => panic!("{name}: jobs.deploy.needs is {other:?}"),
    };
    assert!(needs.contains(&"build"), "{name}: deploy must need build");
    assert_eq!(
        wf.str_at(&["jobs", "deploy", "environment", "name"]),
        "github-pages",
        "{name}"
    );
    let deploy_steps = wf.steps("deploy");
    let deploy = deploy_steps
        .iter()
        .find(|s| s.action() == Some("actions/deploy-pages"))
        .unwrap_or_else(|| panic!("{name}: the deploy job has no actions/deploy-pages step"));
    let id = deploy
        .id()
        .unwrap_or_else(|| panic!("{name}: deploy-pages has no id"));
    assert_eq!(
        wf.str_at(&["jobs", "deploy", "environment", "url"]),
        format!("${{{{ steps.{id}.outputs.page_url }}}}"),
        "{name}: the environment URL is deploy-pages' page_url"
    );

    versions
}

/// The pinned toolchain is an exact release, not older than Cargo.toml's rust-version.
fn check_toolchain_version(name: &str, version: &str) {
    let parse = |v: &str| -> Vec<u32> {
        v.split('.')
            .map(|n| {
                n.parse()
                    .unwrap_or_else(|_| panic!("{name}: rust-toolchain@{version}"))
            })
            .collect()
    };
    let pinned = parse(version);
    assert_eq!(
        pinned.len(),
        3,
        "{name}: pin dtolnay/rust-toolchain to an exact release (1.x.y), not `{version}`"
    );
    let manifest = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    let msrv = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"'))
        .expect("Cargo.toml has a rust-version");
    assert!(
        pinned >= parse(msrv),
        "{name}: rust-toolchain@{version} is older than rust-version {msrv}"
    );
}

#[test]
fn this_repository_publishes_the_guide_with_the_pages_actions() {
    let path = repo_root().join(".github/workflows/pages.yml");
    let text = support::read(&path);
    let wf = Workflow::parse(".github/workflows/pages.yml", &text);
    let versions = check_pages_workflow(&wf);
    for action in ["Swatinem/rust-cache", "dtolnay/rust-toolchain"] {
        assert!(versions.contains_key(action), "no {action}: {versions:?}");
    }
    // The guide is built by the sheaf of the same commit (this repository is its
    // source), compiled with the locked dependencies after the cargo cache is restored.
    let steps = wf.steps("build");
    let position =
        |found: &dyn Fn(&str) -> bool| steps.iter().position(|s| s.run().is_some_and(found));
    let compile = position(&|r| r.trim() == "cargo build --release --locked")
        .expect("a step runs `cargo build --release --locked`");
    let build = position(&|r| r.contains(BASE_URL_ARG)).unwrap();
    let run = steps[build].run().unwrap();
    assert!(run.starts_with("./target/release/sheaf build "), "{run}");
    let cache = steps
        .iter()
        .position(|s| s.action() == Some("Swatinem/rust-cache"))
        .unwrap();
    assert!(
        cache < compile && compile < build,
        "cargo cache ({cache}), then compile ({compile}), then build ({build})"
    );
}

#[test]
fn init_writes_a_pages_workflow_with_the_same_actions() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let output = support::sheaf()
        .arg("init")
        .arg(&site)
        .output()
        .expect("run sheaf init");
    assert!(output.status.success(), "sheaf init: {output:?}");
    let text = support::read(site.join(".github/workflows/pages.yml"));
    let wf = Workflow::parse("the workflow of `sheaf init`", &text);
    let versions = check_pages_workflow(&wf);

    // Its actions are the ones this repository publishes with, at the same versions.
    let ours = Workflow::parse(
        ".github/workflows/pages.yml",
        &support::read(repo_root().join(".github/workflows/pages.yml")),
    );
    let ours = check_pages_workflow(&ours);
    for (action, version) in &versions {
        if let Some(our_version) = ours.get(action) {
            assert_eq!(
                version, our_version,
                "{action}: `sheaf init` writes @{version}, this repository uses @{our_version}"
            );
        }
    }

    // sheaf is downloaded at the version that made the site, verified and installed
    // before the build uses it; nothing is compiled and nothing is left to fill in.
    assert!(
        !text.contains("@SHEAF_"),
        "a marker was left unfilled:\n{text}"
    );
    assert_eq!(
        wf.str_at(&["env", "SHEAF_VERSION"]),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        wf.str_at(&["env", "SHEAF_SHA256"]),
        "",
        "the checksum of a future release archive cannot be known at init"
    );
    assert_eq!(
        wf.str_at(&["env", "SHEAF_DOWNLOAD_URL"]),
        "https://github.com/sheaf-ssg/sheaf/releases/download"
    );
    assert!(
        !versions.contains_key("dtolnay/rust-toolchain"),
        "{versions:?}"
    );
    let steps = wf.steps("build");
    let named = |name: &str| {
        steps
            .iter()
            .position(|s| s.0.get("name").and_then(Value::as_str) == Some(name))
            .unwrap_or_else(|| panic!("no step named {name:?}"))
    };
    let (download, verify, install) = (
        named("Download sheaf"),
        named("Verify sheaf"),
        named("Install sheaf"),
    );
    let asset = r#"sheaf-x86_64-unknown-linux-musl.tar.gz"#;
    for step in [download, verify, install] {
        assert!(
            steps[step].run().unwrap().contains(asset),
            "{}",
            steps[step].describe()
        );
    }
    let verify_run = steps[verify].run().unwrap();
    for needed in ["sha256sum", "SHA256SUMS", "$SHEAF_SHA256", "exit 1"] {
        assert!(
            verify_run.contains(needed),
            "the verify step lacks {needed}:\n{verify_run}"
        );
    }
    assert!(steps[install].run().unwrap().contains("$GITHUB_PATH"));
    for step in &steps {
        let run = step.run().unwrap_or_default();
        assert!(
            !run.contains("cargo") && step.action() != Some("dtolnay/rust-toolchain"),
            "the workflow compiles something:\n{}",
            step.describe()
        );
    }
    let build = steps
        .iter()
        .position(|s| s.run().is_some_and(|r| r.contains(BASE_URL_ARG)))
        .unwrap();
    assert!(
        download < verify && verify < install && install < build,
        "download {download}, verify {verify}, install {install}, build {build}"
    );
    assert!(
        steps[build].run().unwrap().starts_with("sheaf build "),
        "{}",
        steps[build].describe()
    );
}

#[test]
fn the_workflow_checks_catch_a_missing_base_url_and_a_wrong_upload_path() {
    let text = support::read(repo_root().join(".github/workflows/pages.yml"));
    let cases = [
        (text.replace(BASE_URL_ARG, ""), "must get the Pages URL"),
        (
            text.replace("path: public", "path: _site"),
            "not the folder the build writes",
        ),
        (
            text.replace("      - id: pages\n", "      - id: setup\n"),
            "refers to `steps.pages` before any step has that id",
        ),
        (text.replace("  id-token: write\n", ""), "permissions"),
        (
            text.replace("cancel-in-progress: false", "cancel-in-progress: true"),
            "cancel-in-progress",
        ),
        (text.replace("    needs: build\n", ""), "jobs.deploy"),
    ];
    for (broken, expected) in cases {
        assert_ne!(broken, text, "the test edit for {expected:?} did not apply");
        let result = std::panic::catch_unwind(|| {
            check_pages_workflow(&Workflow::parse("edited", &broken));
        });
        let message = match result {
            Ok(()) => panic!("an edited workflow passed; expected a failure about {expected:?}"),
            Err(e) => e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        };
        assert!(
            message.contains(expected),
            "expected a failure about {expected:?}, got: {message}"
        );
    }
}

// ================================================================ 2./3. crawl

// ---------------------------------------------------------------- link extraction

/// The URLs an HTML page makes a browser or a crawler fetch: links, assets, feeds,
/// canonical and social-card URLs, refresh targets; with the `<base href>` if any.
fn html_links(html: &str) -> (Option<String>, Vec<String>) {
    let doc = html::parse(html);
    let mut base = None;
    let mut links = Vec::new();
    for tag in &doc.tags {
        let (name, attr) = (&tag.name, |key: &str| tag.attr(key));
        if name == "base" {
            base = attr("href").map(str::to_string);
            continue;
        }
        for key in [
            "href",
            "src",
            "poster",
            "data",
            "action",
            "formaction",
            "manifest",
        ] {
            if let Some(v) = attr(key) {
                links.push(v.to_string());
            }
        }
        for key in ["srcset", "imagesrcset"] {
            if let Some(v) = attr(key) {
                for candidate in v.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        links.push(url.to_string());
                    }
                }
            }
        }
        if let Some(style) = attr("style") {
            links.extend(css_links(style));
        }
        if name == "meta" {
            let content = attr("content").unwrap_or_default();
            let kind = attr("property").or(attr("name")).unwrap_or_default();
            if matches!(
                kind,
                "og:image"
                    | "og:image:secure_url"
                    | "og:url"
                    | "og:audio"
                    | "og:video"
                    | "twitter:image"
            ) {
                links.push(content.to_string());
            }
            if attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh")) {
                let lower = content.to_ascii_lowercase();
                if let Some(at) = lower.find("url=") {
                    links.push(content[at + 4..].trim().trim_matches('\'').to_string());
                }
            }
        }
    }
    for style in &doc.styles {
        links.extend(css_links(style));
    }
    (base, links)
}

/// `url(...)` and `@import "..."` targets in CSS.
fn css_links(css: &str) -> Vec<String> {
    let mut links = Vec::new();
    for (at, _) in css.match_indices("url(") {
        let rest = &css[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        links.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
    }
    for (at, _) in css.match_indices("@import") {
        let rest = css[at + 7..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(quote)
        {
            links.push(rest[1..1 + end].to_string());
        }
    }
    links
}

/// What a fetched URL is, for the parser and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    Feed,
    Sitemap,
    Stylesheet,
    Text,
    Other,
}

fn kind_of(path: &str, response: &Response) -> Kind {
    let content_type = response.header("content-type").unwrap_or_default();
    let body = response.text();
    if content_type.starts_with("text/html") {
        Kind::Page
    } else if content_type.starts_with("text/css") {
        Kind::Stylesheet
    } else if path.ends_with(".xml") {
        if body.contains("<urlset") || body.contains("<sitemapindex") {
            Kind::Sitemap
        } else {
            Kind::Feed
        }
    } else if content_type.starts_with("text/plain") {
        Kind::Text
    } else {
        Kind::Other
    }
}

/// The URLs in a feed (RSS 2.0 or Atom) with the URL each is relative to: the feed's
/// own links and every entry's link, guid/id, enclosure and the links and images in its
/// content and summary.
fn feed_links(url: &Url, xml: &str) -> Vec<(Url, String)> {
    fn html_in(base: &Url, html: &str, out: &mut Vec<(Url, String)>) {
        for link in html_links(html).1 {
            out.push((base.clone(), link));
        }
    }
    let mut out = Vec::new();
    if xml.contains("<rss") {
        let channel = rss::Channel::read_from(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{url} is not RSS the rss crate can read: {e}"));
        out.push((url.clone(), channel.link().to_string()));
        if let Some(atom) = channel.atom_ext() {
            for link in atom.links() {
                out.push((url.clone(), link.href().to_string()));
            }
        }
        for item in channel.items() {
            let base = item
                .link()
                .and_then(|l| url.join(l).ok())
                .unwrap_or_else(|| url.clone());
            out.extend(item.link().map(|l| (url.clone(), l.to_string())));
            if let Some(guid) = item.guid().filter(|g| g.is_permalink()) {
                out.push((url.clone(), guid.value().to_string()));
            }
            if let Some(enclosure) = item.enclosure() {
                out.push((url.clone(), enclosure.url().to_string()));
            }
            for html in [item.description(), item.content()].into_iter().flatten() {
                html_in(&base, html, &mut out);
            }
        }
    } else {
        let feed = atom_syndication::Feed::read_from(xml.as_bytes())
            .unwrap_or_else(|e| panic!("{url} is not Atom atom_syndication can read: {e}"));
        for link in feed.links() {
            out.push((url.clone(), link.href().to_string()));
        }
        for entry in feed.entries() {
            let alternate = entry
                .links()
                .iter()
                .find(|l| l.rel() == "alternate")
                .and_then(|l| url.join(l.href()).ok())
                .unwrap_or_else(|| url.clone());
            for link in entry.links() {
                out.push((url.clone(), link.href().to_string()));
            }
            if entry.id().starts_with("http") {
                out.push((url.clone(), entry.id().to_string()));
            }
            if let Some(html) = entry.content().and_then(|c| c.value()) {
                html_in(&alternate, html, &mut out);
            }
            if let Some(summary) = entry.summary() {
                html_in(&alternate, &summary.value, &mut out);
            }
        }
    }
    out
}

// ---------------------------------------------------------------- the crawler

/// What a crawl found.
#[derive(Default)]
struct Crawl {
    /// Every distinct URL fetched (without fragment), with its status and kind.
    fetched: BTreeMap<String, (u16, Kind)>,
    /// `URL (status) <- linked from` for every URL that did not load.
    broken: Vec<String>,
    /// Links the crawler did not follow: other hosts, mailto:, ...
    external: BTreeSet<String>,
    /// Redirects the server answered with (`from -> to`).
    redirects: Vec<String>,
}

struct Crawler<'a> {
    server: &'a StaticServer,
    /// The published base URL, e.g. `https://example.github.io/guide/`.
    base: Url,
    crawl: Crawl,
    queue: VecDeque<(Url, String)>,
    queued: BTreeSet<String>,
}

impl<'a> Crawler<'a> {
    fn new(server: &'a StaticServer, base: &str) -> Crawler<'a> {
        Crawler {
            server,
            base: Url::parse(base).unwrap(),
            crawl: Crawl::default(),
            queue: VecDeque::new(),
            queued: BTreeSet::new(),
        }
    }

    /// Queues `link` as found on `from` (resolved against `relative_to`), unless it
    /// leaves the site's host or was seen already.
    fn found(&mut self, relative_to: &Url, link: &str, from: &str) {
        let link = link.trim();
        if link.is_empty() || link.starts_with('#') {
            return; // the same document
        }
        let Ok(mut url) = relative_to.join(link) else {
            self.crawl
                .broken
                .push(format!("{link:?} (not a URL) <- {from}"));
            return;
        };
        if !matches!(url.scheme(), "http" | "https") || url.origin() != self.base.origin() {
            self.crawl.external.insert(url.to_string());
            return;
        }
        url.set_fragment(None);
        if self.queued.insert(url.to_string()) {
            self.queue.push_back((url, from.to_string()));
        }
    }

    /// The request target on the local server for a published URL.
    fn target(url: &Url) -> String {
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    fn run(&mut self) {
        let mut budget = 20_000; // a crawl that never ends is a bug too
        while let Some((url, from)) = self.queue.pop_front() {
            budget -= 1;
            assert!(budget > 0, "the crawl does not end (last: {url})");
            let target = Self::target(&url);
            let mut response = get(self.server.addr, &target);
            let mut final_url = url.clone();
            let mut hops = 0;
            while (300..400).contains(&response.status) && hops < 5 {
                let location = response.header("location").unwrap_or_default().to_string();
                let next = final_url.join(&location).expect("a redirect location");
                self.crawl.redirects.push(format!("{final_url} -> {next}"));
                if next.origin() != self.base.origin() {
                    break;
                }
                final_url = next;
                response = get(self.server.addr, &Self::target(&final_url));
                hops += 1;
            }
            let kind = kind_of(final_url.path(), &response);
            self.crawl
                .fetched
                .insert(url.to_string(), (response.status, kind));
            if response.status != 200 {
                self.crawl
                    .broken
                    .push(format!("{url} ({}) <- {from}", response.status));
                continue;
            }
            self.follow(&final_url, kind, &response.text());
        }
    }

    /// Queues every URL a fetched document refers to.
    fn follow(&mut self, url: &Url, kind: Kind, body: &str) {
        let from = url.to_string();
        match kind {
            Kind::Page => {
                let (base, links) = html_links(body);
                let relative_to = base
                    .and_then(|b| url.join(&b).ok())
                    .unwrap_or_else(|| url.clone());
                for link in links {
                    self.found(&relative_to, &link, &from);
                }
            }
            Kind::Stylesheet => {
                for link in css_links(body) {
                    self.found(url, &link, &from);
                }
            }
            Kind::Feed => {
                for (relative_to, link) in feed_links(url, body) {
                    self.found(&relative_to, &link, &from);
                }
            }
            Kind::Sitemap => {
                for loc in support::element_texts(body, "loc") {
                    self.found(url, &loc, &from);
                }
            }
            Kind::Text => {
                for line in body.lines() {
                    if let Some(sitemap) = line.strip_prefix("Sitemap:") {
                        self.found(url, sitemap, &from);
                    }
                }
            }
            Kind::Other => {}
        }
    }
}

/// Builds the guide for `base_url`, serves it under its base path, crawls it and
/// checks: no URL fails to load, no request leaves the base path, and the 404 page
/// works at depth.
fn crawl_the_guide(base_url: &str) {
    let started = std::time::Instant::now();
    let site = support::build_fixture(&repo_root(), &["--base-url", base_url]);
    let built = started.elapsed();
    let base = Url::parse(base_url).unwrap();
    let base_path = base.path().to_string();
    let server = StaticServer::start(&site.out, &base_path);
    let mut crawler = Crawler::new(&server, base_url);

    // Where a crawler starts: the home page, robots.txt, and the sitemap it names.
    for start in ["", "robots.txt", "sitemap.xml"] {
        let url = base.join(start).unwrap();
        crawler.found(&url, url.as_str(), "(start)");
    }
    crawler.run();

    // The 404 page, as served for a missing address deep under the base path: it
    // must be the site's 404 page, with status 404, and all it refers to must load.
    let deep = base.join("a/b/c/").unwrap();
    let response = get(server.addr, deep.path());
    assert_eq!(response.status, 404, "GET {}", deep.path());
    let page = response.text();
    assert!(
        page.contains("Page not found"),
        "GET {} did not get the site's 404 page:\n{page}",
        deep.path()
    );
    let (_, links) = html_links(&page);
    let from = format!("the 404 page served at {deep}");
    let mut from_404 = 0;
    for link in &links {
        let link = link.trim();
        if link.is_empty() || link.starts_with('#') {
            continue;
        }
        let Ok(mut url) = deep.join(link) else {
            crawler
                .crawl
                .broken
                .push(format!("{link:?} (not a URL) <- {from}"));
            continue;
        };
        if url.origin() != base.origin() {
            continue;
        }
        url.set_fragment(None);
        // Fetched even if the crawl saw the same text elsewhere: from this depth a
        // relative link would point somewhere else.
        let response = get(server.addr, &Crawler::target(&url));
        from_404 += 1;
        if response.status != 200 {
            crawler
                .crawl
                .broken
                .push(format!("{url} ({}) <- {from}", response.status));
        }
    }
    assert!(
        from_404 >= 3,
        "the 404 page refers to almost nothing: {links:?}"
    );
    let crawl = &crawler.crawl;

    let requests = server.requests();
    let outside: Vec<&String> = requests
        .iter()
        .filter(|r| !r.starts_with(base_path.as_str()))
        .collect();

    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for (_, kind) in crawl.fetched.values() {
        *by_kind.entry(*kind).or_default() += 1;
    }
    let on_disk = site.files();
    let reached: BTreeSet<String> = crawl
        .fetched
        .keys()
        .filter_map(|u| Url::parse(u).ok())
        .map(|u| {
            let rel = u.path()[base_path.len().min(u.path().len())..].to_string();
            if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel
            }
        })
        .collect();
    // Only 404.html and .nojekyll are expected here: nothing links to them.
    let unreached: Vec<&String> = on_disk.iter().filter(|f| !reached.contains(*f)).collect();
    eprintln!(
        "crawl of {base_url} served at {base_path}: {} URLs fetched ({}), {} requests, \
         {} outside {base_path}, {} broken, {} redirects, {} external links not followed; \
         {} of {} files reached by a link; build {:.0?}, total {:.0?}",
        crawl.fetched.len(),
        by_kind
            .iter()
            .map(|(k, n)| format!("{n} {k:?}"))
            .collect::<Vec<_>>()
            .join(", "),
        requests.len(),
        outside.len(),
        crawl.broken.len(),
        crawl.redirects.len(),
        crawl.external.len(),
        on_disk.len() - unreached.len(),
        on_disk.len(),
        built,
        started.elapsed(),
    );
    if !unreached.is_empty() {
        eprintln!("  files no link reaches: {unreached:?}");
    }
    for redirect in &crawl.redirects {
        eprintln!("  redirect: {redirect}");
    }

    assert!(
        crawl.broken.is_empty(),
        "{} URL(s) of the site built for {base_url} do not load:\n{}",
        crawl.broken.len(),
        crawl.broken.join("\n")
    );
    assert!(
        outside.is_empty(),
        "requests outside {base_path} (links that forgot the base path):\n{outside:#?}"
    );
    // A crawl that fetched almost nothing proves nothing: the guide has sections,
    // essays, worksheets with result pages, tags with feeds, and stylesheets.
    for (kind, at_least) in [
        (Kind::Page, 30),
        (Kind::Feed, 4),
        (Kind::Sitemap, 1),
        (Kind::Stylesheet, 2),
    ] {
        let n = by_kind.get(&kind).copied().unwrap_or(0);
        assert!(n >= at_least, "only {n} {kind:?} URL(s) crawled");
    }
}

#[test]
fn the_guide_on_a_project_site_has_no_broken_link_and_stays_under_its_path() {
    crawl_the_guide(GUIDE_BASE);
}

#[test]
fn the_guide_on_its_own_domain_has_no_broken_link() {
    crawl_the_guide(ROOT_BASE);
}

#[test]
fn the_crawl_catches_a_link_without_the_base_path() {
    // A page linking to `/tags/` on a site served under `/guide/`: the server must
    // record the request outside the base path, and the link must come back as a 404.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    support::write(
        site.join("index.html"),
        r#"<!doctype html><title>t</title><link rel="stylesheet" href="/guide/s.css"><a href="/tags/">tags</a><a href="https://example.github.io/guide/missing/">m</a><a href="mailto:a@b.c">m</a><a href="https://other.example/">o</a>"#,
    );
    support::write(site.join("s.css"), "body { background: url(/img/bg.png) }");
    support::write(
        site.join("404.html"),
        "<!doctype html><title>Page not found</title>",
    );
    let server = StaticServer::start(site, "/guide/");
    let mut crawler = Crawler::new(&server, GUIDE_BASE);
    let home = Url::parse(GUIDE_BASE).unwrap();
    crawler.found(&home, GUIDE_BASE, "(start)");
    crawler.run();
    let broken = crawler.crawl.broken.join("\n");
    for expected in [
        "https://example.github.io/tags/ (404)",
        "https://example.github.io/guide/missing/ (404)",
        "https://example.github.io/img/bg.png (404)",
    ] {
        assert!(
            broken.contains(expected),
            "{expected} not reported:\n{broken}"
        );
    }
    assert!(crawler.crawl.external.contains("mailto:a@b.c"));
    assert!(crawler.crawl.external.contains("https://other.example/"));
    let requests = server.requests();
    assert!(requests.contains(&"/tags/".to_string()), "{requests:?}");
    assert!(
        requests.contains(&"/img/bg.png".to_string()),
        "{requests:?}"
    );
}
