//! `sheaf init` and `sheaf new`: files an author starts from.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::slug::slugify;

mod remote;

pub(crate) use remote::{BaseUrlSource, base_url_for};

/// `base_url` when no GitHub remote says where the site will be published.
pub(crate) const PLACEHOLDER_BASE_URL: &str = "https://example.org/";

const CONFIG: &str = r#"title: My essays
base_url: @BASE_URL@
description: Essays and worksheets.
language: en
author: { name: Your Name }
theme: default
feeds: { limit: 20, full_content: true }
highlight: { light: InspiredGitHub, dark: base16-ocean.dark }
"#;

/// The home page's description is its heading (the site's name is already in the header):
/// the one sentence that says what readers get here.
const HOME: &str = "---\ntitle: My essays\ndescription: Short essays and worksheets on what I am learning, one week at a time.\n---\nWelcome. Say here who this site is for and where to start: the worksheets and the latest essays follow. (This is `content/_index.md`; its `description` is the heading above.)\n";

const ESSAYS: &str = "---\ntitle: Essays\ndescription: Everything I have written, newest first.\nsort_by: date\nweight: 1\n---\n";

/// `.sheaf-cache/` holds social cards and highlighted code from earlier builds: derived, and
/// rebuilt when deleted.
const GITIGNORE: &str = "/public\n/.sheaf-cache\n";

/// `.github/workflows/pages.yml` for a new site: builds with the base URL GitHub Pages
/// reports and deploys (DESIGN §8). `@…@` markers are filled in by [`pages_workflow`].
const PAGES_WORKFLOW: &str = include_str!("scaffold/pages.yml");

/// Where the release archives of sheaf are published: `<this>/v<version>/<asset>`, with
/// `SHA256SUMS` beside them (`.github/workflows/release.yml`).
pub(crate) const RELEASE_DOWNLOAD_URL: &str =
    "https://github.com/sheaf-ssg/sheaf/releases/download";

/// The GitHub Pages workflow `sheaf init` writes. It downloads the release archive of
/// this version of sheaf, checks it against the checksum published with the release
/// (and against `SHEAF_SHA256` once the author pins it: the checksum of an archive made
/// after this binary cannot be written into it) and builds; nothing is compiled.
pub(crate) fn pages_workflow() -> String {
    PAGES_WORKFLOW
        .replace("@SHEAF_VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@SHEAF_DOWNLOAD_URL@", RELEASE_DOWNLOAD_URL)
}

const WORKSHEETS: &str = "---\ntitle: Worksheets\ndescription: Short exercises; your answers stay in your browser.\nsort_by: weight\nweight: 2\n---\n";

/// A valid starter worksheet: one question of each common kind and a `by: top` result,
/// so a new author sees the format working before changing it. No date: the home page
/// lists dated pages as "Latest" and worksheets in a list of their own, so a dated
/// worksheet would be listed twice; worksheets are ordered by `weight` instead.
fn starter_worksheet(title: &str, id: &str, draft: bool) -> String {
    let title_yaml = serde_json::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
    let draft = if draft { "draft: true\n" } else { "" };
    format!(
        r#"---
title: {title_yaml}
{draft}description: A short worksheet.
tags: []
worksheet:
  id: {id}
  version: 1
  result:
    by: top
    dimensions:
      reach: {{ title: "Reach out", body: "Send one personal message today." }}
      reflect: {{ title: "Reflect first", body: "Take ten minutes to list who matters to you." }}
---
A sentence or two on what this worksheet is for.

```worksheet
- id: last-message
  type: single
  prompt: When did you last send someone a **personal** message?
  options:
    - {{ id: today, label: Today, score: {{ reflect: 1 }} }}
    - {{ id: week, label: This week, score: {{ reach: 1 }} }}
    - {{ id: longer, label: Longer ago, score: {{ reach: 3 }} }}
- id: clarity
  type: scale
  prompt: How clear is it who you want to stay in touch with?
  scale: {{ min: 1, max: 5, min_label: Not at all, max_label: Very }}
  score: {{ reflect: 1 }}
- id: names
  type: textarea
  prompt: Write down two names.
  max_length: 280
  share: false
```
"#
    )
}

/// What `sheaf init` did.
#[derive(Debug)]
pub(crate) struct Init {
    pub written: Vec<PathBuf>,
    /// The `base_url` written into config.yaml; `None` when an existing config.yaml
    /// was kept.
    pub base_url: Option<String>,
    pub source: BaseUrlSource,
}

impl Init {
    /// What `sheaf init` says after the list of files: the base URL it chose and why,
    /// and what to do next (preview, then publish on GitHub Pages).
    pub(crate) fn next_steps(&self, dir: &Path) -> String {
        let mut out = String::new();
        if let Some(base_url) = &self.base_url {
            out.push('\n');
            match &self.source {
                BaseUrlSource::GitHub { owner, repo } => out.push_str(&format!(
                    "base_url: {base_url} (the GitHub Pages address of `origin`, github.com/{owner}/{repo})\n  \
                     with a custom domain: set it in the repository's Settings -> Pages, and base_url\n  \
                     in config.yaml to https://your.domain/\n"
                )),
                BaseUrlSource::OtherRemote(url) => out.push_str(&format!(
                    "base_url: {base_url} (a placeholder: `origin`, {url}, is not a GitHub repository)\n  \
                     set base_url in config.yaml to the address the site will be published at\n"
                )),
                BaseUrlSource::NoRemote => out.push_str(&format!(
                    "base_url: {base_url} (a placeholder: no git remote `origin` found)\n  \
                     set base_url in config.yaml to the address the site will be published at, or run\n  \
                     `sheaf init` in a clone of a GitHub repository to get its Pages address\n"
                )),
            }
        }
        let cd = if dir == Path::new(".") {
            String::new()
        } else {
            format!("cd {} && ", dir.display())
        };
        out.push_str(&format!(
            "\nnext steps:\n  \
             1. preview: {cd}sheaf serve   (then open the address it prints)\n  \
             2. publish: commit and push to `main` on GitHub, then in the repository's\n     \
             Settings -> Pages -> Build and deployment, set Source to \"GitHub Actions\":\n     \
             .github/workflows/pages.yml then builds and deploys every push\n"
        ));
        out
    }
}

/// Writes a starter site into `dir`, GitHub Pages workflow included, with `base_url`
/// the GitHub Pages address of the `origin` remote when there is one. Refuses a folder
/// with files in it (other than `.git`) unless `force`, and never overwrites an existing file (a
/// repository's own `.github/workflows/pages.yml` is kept, with or without `force`).
pub(crate) fn init(dir: &Path, force: bool) -> Result<Init, Diagnostic> {
    let (base_url, source) = base_url_for(dir);
    init_with_base_url(dir, force, base_url, source)
}

/// [`init`] with the base URL given.
pub(crate) fn init_with_base_url(
    dir: &Path,
    force: bool,
    base_url: String,
    source: BaseUrlSource,
) -> Result<Init, Diagnostic> {
    // A fresh clone's `.git` does not make the folder non-empty: `sheaf init` in a clone
    // of a new GitHub repository is the way to get its Pages address.
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.any(|e| e.is_ok_and(|e| e.file_name() != ".git")))
        .unwrap_or(false);
    if not_empty && !force {
        return Err(Diagnostic::error(format!("`{}` is not empty", dir.display()))
            .help("pick an empty or new folder, or pass --force to add the starter files (existing files are kept)"));
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let first_essay = format!(
        "---\ntitle: Hello, world\ndate: {today}\ndescription: The first essay on this site.\ntags: [meta]\n---\n\
         This is the first essay. Edit it in `content/essays/hello-world.md`.\n\n<!-- more -->\n\n\
         ## Writing\n\nWrite Markdown: *emphasis*, [links](../_index.md), lists, tables, footnotes and code:\n\n\
         ```rust\nfn main() {{\n    println!(\"hello\");\n}}\n```\n\n\
         > [!TIP]\n> Run `sheaf serve` and open the address it prints: the preview reloads as you edit.\n"
    );
    let files: Vec<(&str, String)> = vec![
        ("config.yaml", CONFIG.replace("@BASE_URL@", &base_url)),
        ("content/_index.md", HOME.to_string()),
        ("content/essays/_index.md", ESSAYS.to_string()),
        ("content/essays/hello-world.md", first_essay),
        ("content/worksheets/_index.md", WORKSHEETS.to_string()),
        (
            "content/worksheets/first-worksheet.md",
            starter_worksheet("A first worksheet", "first-worksheet", false),
        ),
        (".gitignore", GITIGNORE.to_string()),
        (".github/workflows/pages.yml", pages_workflow()),
    ];
    let mut written = Vec::new();
    let mut config_written = false;
    for (rel, text) in files {
        let path = dir.join(rel);
        if path.exists() {
            continue;
        }
        write_new(&path, &text)?;
        config_written |= rel == "config.yaml";
        written.push(path);
    }
    Ok(Init {
        written,
        base_url: config_written.then_some(base_url),
        source,
    })
}

/// What `sheaf new` creates.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NewKind {
    Essay,
    Worksheet,
}

/// Creates `content/essays/<slug>.md` (dated today) or `content/worksheets/<slug>.md`,
/// as a draft (`draft: true`): a build leaves it out until the line is removed.
pub(crate) fn new_content(root: &Path, kind: NewKind, title: &str) -> Result<PathBuf, Diagnostic> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make a file name from the title `{title}`"))
                .help("use a title with some letters or digits"),
        );
    }
    if !root.join("content").is_dir() {
        return Err(
            Diagnostic::error(format!("`{}` has no content/ folder", root.display())).help(
                "run this in a site folder (or pass --root), or create one with `sheaf init`",
            ),
        );
    }
    let folder = match kind {
        NewKind::Essay => "essays",
        NewKind::Worksheet => "worksheets",
    };
    let path = root.join("content").join(folder).join(format!("{slug}.md"));
    if path.exists() {
        return Err(
            Diagnostic::error(format!("`{}` already exists", path.display()))
                .at(Location::file_only(&path))
                .help("choose another title, or edit that file"),
        );
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let text = match kind {
        NewKind::Essay => {
            let title_yaml = serde_json::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
            format!(
                "---\ntitle: {title_yaml}\ndate: {today}\ndraft: true\ndescription: \"\"\ntags: []\n---\n\nWrite here.\n"
            )
        }
        NewKind::Worksheet => starter_worksheet(title, &slug, true),
    };
    if kind_needs_section(kind) {
        let index = root.join("content").join(folder).join("_index.md");
        if !index.exists() {
            write_new(&index, WORKSHEETS)?;
        }
    }
    write_new(&path, &text)?;
    Ok(path)
}

/// Worksheets live in their own section; `new worksheet` creates it when missing.
fn kind_needs_section(kind: NewKind) -> bool {
    matches!(kind, NewKind::Worksheet)
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
            .at(Location::file_only(path))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, text).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_worksheet_and_init_sites_build() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), false).unwrap();
        let path = new_content(dir.path(), NewKind::Worksheet, "Where do I stand?").unwrap();
        assert!(path.ends_with("content/worksheets/where-do-i-stand.md"));
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("\ndraft: true\n")
        );
        let mut options = crate::build::BuildOptions::plain(dir.path());
        let (summary, _) = crate::build::build(&options, false)
            .map_err(|d| d.sorted())
            .unwrap();
        assert_eq!(summary.worksheets, 1, "the new one is a draft");
        assert_eq!(summary.drafts_left_out, 1);
        assert!(
            summary
                .to_string()
                .contains("(1 draft left out: pass --drafts to include it)"),
            "{summary}"
        );
        options.drafts = true;
        let (summary, _) = crate::build::build(&options, false)
            .map_err(|d| d.sorted())
            .unwrap();
        assert_eq!(summary.worksheets, 2, "the init sample and the new one");
        assert_eq!(summary.drafts_left_out, 0);
        assert!(
            dir.path()
                .join("public/worksheets/where-do-i-stand/result/reach/index.html")
                .exists()
        );
    }

    #[test]
    fn init_refuses_non_empty_and_keeps_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.yaml"), "mine").unwrap();
        assert!(init(dir.path(), false).is_err());
        let done = init(dir.path(), true).unwrap();
        assert_eq!(done.base_url, None, "config.yaml was kept");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("config.yaml")).unwrap(),
            "mine"
        );
        assert!(dir.path().join("content/essays/hello-world.md").exists());
    }

    #[test]
    fn init_writes_the_pages_workflow_but_keeps_an_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        let written = init(dir.path(), false).unwrap().written;
        let workflow = dir.path().join(".github/workflows/pages.yml");
        assert!(written.contains(&workflow), "{written:?}");
        let text = std::fs::read_to_string(&workflow).unwrap();
        assert_eq!(text, pages_workflow());
        assert!(
            !text.contains("@SHEAF_"),
            "a marker was left unfilled:\n{text}"
        );
        assert!(text.contains(concat!(
            "SHEAF_VERSION: \"",
            env!("CARGO_PKG_VERSION"),
            "\""
        )));
        assert!(text.contains("SHEAF_SHA256: \"\""));
        assert!(!text.contains("cargo "), "nothing is compiled:\n{text}");
        assert!(text.contains(r#"--base-url "${{ steps.pages.outputs.base_url }}/""#));

        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
        std::fs::write(dir.path().join(".github/workflows/pages.yml"), "mine").unwrap();
        assert!(init(dir.path(), false).is_err(), "the folder is not empty");
        let written = init(dir.path(), true).unwrap().written;
        assert!(!written.iter().any(|p| p.ends_with("pages.yml")));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".github/workflows/pages.yml")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn new_essay_quotes_the_title() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let path = new_content(dir.path(), NewKind::Essay, "Why: \"quotes\" matter").unwrap();
        assert!(path.ends_with("content/essays/why-quotes-matter.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = crate::load::parse_document(std::sync::Arc::new(crate::load::Source::new(
            "essays/why-quotes-matter.md".into(),
            path.clone(),
            text,
        )));
        assert!(parsed.is_ok());
        assert!(new_content(dir.path(), NewKind::Essay, "Why: \"quotes\" matter").is_err());
    }

    fn git(dir: &Path, args: &[&str]) -> bool {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    }

    #[test]
    fn init_in_a_github_clone_uses_its_pages_address() {
        let repo = tempfile::tempdir().unwrap();
        if !git(repo.path(), &["init", "-q"]) {
            eprintln!("no git: skipped");
            return;
        }
        let site = repo.path().join("site");
        let done = init(&site, false).unwrap();
        assert_eq!(done.source, BaseUrlSource::NoRemote);
        assert_eq!(done.base_url.as_deref(), Some(PLACEHOLDER_BASE_URL));

        assert!(git(
            repo.path(),
            &[
                "remote",
                "add",
                "origin",
                "https://github.com/someone/my-guide.git"
            ]
        ));
        let done = init(&site, true).unwrap();
        assert_eq!(
            done.source,
            BaseUrlSource::GitHub {
                owner: "someone".into(),
                repo: "my-guide".into()
            }
        );
        assert_eq!(done.base_url, None, "an existing config.yaml is kept");
        std::fs::remove_dir_all(&site).unwrap();
        let done = init(&site, false).unwrap();
        assert_eq!(
            done.base_url.as_deref(),
            Some("https://someone.github.io/my-guide/")
        );
        let config = std::fs::read_to_string(site.join("config.yaml")).unwrap();
        assert!(
            config.contains("\nbase_url: https://someone.github.io/my-guide/\n"),
            "{config}"
        );

        assert!(git(
            repo.path(),
            &[
                "remote",
                "set-url",
                "origin",
                "https://gitlab.com/someone/my-guide.git"
            ]
        ));
        let other = repo.path().join("other");
        let done = init(&other, false).unwrap();
        assert!(matches!(done.source, BaseUrlSource::OtherRemote(_)));
        assert_eq!(done.base_url.as_deref(), Some(PLACEHOLDER_BASE_URL));
    }

    #[test]
    fn the_starter_site_lists_its_worksheet_once_and_advises_serve() {
        let dir = tempfile::tempdir().unwrap();
        init_with_base_url(
            dir.path(),
            false,
            PLACEHOLDER_BASE_URL.into(),
            BaseUrlSource::NoRemote,
        )
        .unwrap();
        let essay =
            std::fs::read_to_string(dir.path().join("content/essays/hello-world.md")).unwrap();
        assert!(essay.contains("sheaf serve"), "{essay}");
        assert!(!essay.contains("public/index.html"), "{essay}");
        let options = crate::build::BuildOptions::plain(dir.path());
        crate::build::build(&options, false)
            .map_err(|d| d.sorted())
            .unwrap();
        let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
        let links = home
            .matches("href=\"/worksheets/first-worksheet/\"")
            .count();
        assert_eq!(links, 1, "the worksheet is listed {links} times:\n{home}");
        assert_eq!(home.matches("href=\"/essays/hello-world/\"").count(), 1);
    }
}
