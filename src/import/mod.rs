//! `sheaf import jekyll|hugo|zola SOURCE [DEST]` (issue #20): turns an existing site into a
//! sheaf site, leaving SOURCE untouched and keeping every old URL (as the page's `path:`, or
//! a redirect). What it maps and why is in the guide, `content/docs/moving.md`; the steps,
//! in order:
//!
//! 1. a dialect reader (`zola/`, `hugo/`, `jekyll/`) fills the common [`model::Site`]:
//!    config, documents with sheaf front matter and old URLs, assets;
//! 2. the dialect rewrites its own links and shortcodes (`links::Linker` knows every
//!    document by old URL and by the dialect's reference keys, and both heading-id rules);
//! 3. `links::rewrite_site_links` rewrites root-absolute links and fragments;
//! 4. `urls::settle` decides `path:`, `aliases:` and `feed_id:`;
//! 5. `write` writes DEST, sheaf's own check runs on it in process, and broken links the
//!    source already had turn on `links: { internal: warn }`.

mod config;
mod fragments;
mod front_matter;
mod hugo;
mod ids;
mod jekyll;
mod keys;
mod links;
mod lists;
mod model;
mod raw_links;
mod report;
mod reserved;
mod sections;
mod shortcodes;
mod urls;
mod walk;
mod write;
mod zola;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::build::BuildOptions;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};

pub(crate) use report::Report;

/// The kind of site imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Jekyll,
    Hugo,
    Zola,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Jekyll => "jekyll",
            Dialect::Hugo => "hugo",
            Dialect::Zola => "zola",
        }
    }
}

/// The command's flags.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Print the report, write nothing.
    pub dry_run: bool,
    /// Write into a DEST that is not empty.
    pub force: bool,
    /// Categories are merged into tags (`--categories tags`, the default) rather than kept
    /// as `extra.categories`.
    pub categories_as_tags: bool,
    /// The `.github/workflows/pages.yml` to write (`scaffold::pages_workflow`; the command
    /// layer passes it in, as `import` may not use a module of its own layer).
    pub workflow: String,
}

/// Why an import did not happen, with the exit code it means.
#[derive(Debug)]
pub(crate) struct Failure {
    /// 1: SOURCE is not a site of that kind (or could not be read or written); 2: usage.
    pub exit: u8,
    pub diagnostics: Diagnostics,
}

impl Failure {
    fn new(exit: u8, d: Diagnostic) -> Failure {
        Failure {
            exit,
            diagnostics: Diagnostics::from_iter([d]),
        }
    }

    /// SOURCE is not a site of the kind asked for (exit 1).
    pub(crate) fn not_a_site(d: Diagnostic) -> Failure {
        Failure::new(1, d)
    }

    fn usage(d: Diagnostic) -> Failure {
        Failure::new(2, d)
    }
}

/// The default DEST: `./<SOURCE's folder name>-sheaf`.
pub(crate) fn default_dest(source: &Path) -> PathBuf {
    let name = source
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "site".into());
    PathBuf::from(format!("{name}-sheaf"))
}

/// Imports `source` into `dest` (see the module docs).
pub(crate) fn run(
    dialect: Dialect,
    source: &Path,
    dest: &Path,
    options: &Options,
) -> Result<Report, Failure> {
    let started = Instant::now();
    if !source.is_dir() {
        return Err(Failure::not_a_site(Diagnostic::error(format!(
            "`{}` is not a folder",
            source.display()
        ))));
    }
    check_dest(source, dest, options)?;
    let mut site = match dialect {
        Dialect::Zola => zola::read(source, options)?,
        Dialect::Hugo => hugo::read(source, options)?,
        Dialect::Jekyll => jekyll::read(source, options)?,
    };
    let (rule, base_url) = match dialect {
        Dialect::Zola => (ids::IdRule::Zola, site_base_url(&site)),
        Dialect::Hugo => (ids::IdRule::HugoGithub, site_base_url(&site)),
        Dialect::Jekyll => (jekyll::id_rule(source), jekyll::old_base(source)),
    };
    ensure_home(&mut site);
    config::drop_static_over_feeds(&mut site);
    let mut linker = links::Linker::new(&site, rule, &base_url);
    match dialect {
        Dialect::Zola => {
            zola::keys(&site, &mut linker);
            zola::convert(&mut site, &linker);
        }
        Dialect::Hugo => {
            hugo::keys(&site, &mut linker);
            hugo::convert(&mut site, &linker);
        }
        Dialect::Jekyll => {
            jekyll::keys(&site, &mut linker);
            jekyll::convert(&mut site, &linker);
        }
    }
    links::rewrite_site_links(&mut site, &linker);
    sections::order_undated(&mut site);
    let old_base = base_url.trim_end_matches('/').to_string();
    urls::settle(&mut site, &|path| format!("{old_base}{path}"));
    reserved::drop_docs_at_generated_paths(&mut site);
    if let Some(rules) = site.lists.take() {
        lists::settle(&mut site, &rules);
    }

    shortcodes::relocate(&mut site);
    let mut report = Report::of(&site);
    report.dry_run = options.dry_run;
    report.dialect = dialect.name();
    report.source = source.display().to_string();
    report.dest = dest.display().to_string();
    report.next_dir = dest.display().to_string();
    if !options.dry_run {
        write::write(&site, dest, &options.workflow).map_err(|e| {
            Failure::new(
                1,
                Diagnostic::error(format!("cannot write `{}`: {e}", dest.display())),
            )
        })?;
        check_written(&mut site, dest, &mut report)?;
    }
    report.took = started.elapsed();
    if !options.dry_run {
        let path = dest.join(report::REPORT_FILE);
        std::fs::write(&path, report.full()).map_err(|e| {
            Failure::new(
                1,
                Diagnostic::error(format!("cannot write `{}`: {e}", path.display())),
            )
        })?;
    }
    Ok(report)
}

/// The old site's address as config.yaml now says it.
fn site_base_url(site: &Site) -> String {
    site.config
        .get("base_url")
        .and_then(crate::yaml::Value::as_str)
        .unwrap_or(config::PLACEHOLDER_BASE_URL)
        .to_string()
}

use model::Site;

/// sheaf needs `content/_index.md`: when the source has no Markdown home page, one is made
/// from the site's title and description.
fn ensure_home(site: &mut Site) {
    if site.docs.iter().any(|d| d.dest == "_index.md") {
        return;
    }
    let title = site
        .config
        .get("title")
        .and_then(crate::yaml::Value::as_str)
        .unwrap_or("Home")
        .to_string();
    let mut home = model::Doc::new(
        "(made by the importer)".into(),
        "_index.md".into(),
        String::new(),
        1,
    );
    home.is_section = true;
    home.set("title", title);
    if let Some(d) = site.config.get("description").cloned() {
        home.set("description", d);
    }
    site.docs.push(home);
}

/// DEST may not be SOURCE, be inside it or contain it, and must be empty unless `--force`.
fn check_dest(source: &Path, dest: &Path, options: &Options) -> Result<(), Failure> {
    let source_abs = source
        .canonicalize()
        .unwrap_or_else(|_| source.to_path_buf());
    let dest_abs = absolute(dest);
    if dest_abs == source_abs || dest_abs.starts_with(&source_abs) {
        return Err(Failure::usage(
            Diagnostic::error(format!(
                "DEST `{}` is {} SOURCE `{}`: the source must stay untouched",
                dest.display(),
                if dest_abs == source_abs {
                    "the same folder as"
                } else {
                    "inside"
                },
                source.display()
            ))
            .help("give a DEST outside the source site, e.g. `../blog-sheaf`"),
        ));
    }
    if source_abs.starts_with(&dest_abs) {
        return Err(Failure::usage(
            Diagnostic::error(format!(
                "DEST `{}` contains SOURCE `{}`",
                dest.display(),
                source.display()
            ))
            .help("give a DEST outside the source site, e.g. a new folder beside it"),
        ));
    }
    let non_empty = std::fs::read_dir(dest).is_ok_and(|mut d| d.next().is_some());
    if dest.exists() && !dest.is_dir() {
        return Err(Failure::usage(Diagnostic::error(format!(
            "DEST `{}` is a file, not a folder",
            dest.display()
        ))));
    }
    if non_empty && !options.force && !options.dry_run {
        return Err(Failure::usage(
            Diagnostic::error(format!("DEST `{}` is not empty", dest.display())).help(
                "give a new folder, or pass --force to write into it (files of the same name are replaced)",
            ),
        ));
    }
    Ok(())
}

/// `path` made absolute through its nearest existing ancestor (links resolved there), so
/// `dest` that does not exist yet still compares with SOURCE.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    let mut base = path.as_path();
    loop {
        if let Ok(c) = base.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return path,
        }
    }
}

/// Runs sheaf's own check on the written site: broken internal links (which the source
/// already had: the importer resolves every link it can) turn on `links: { internal: warn }`
/// so the site builds; anything else is listed for a person.
fn check_written(site: &mut Site, dest: &Path, report: &mut Report) -> Result<(), Failure> {
    let options = BuildOptions {
        root: dest.to_path_buf(),
        output: dest.join("public"),
        drafts: false,
        future: false,
        base_url: None,
        preview: false,
    };
    let diagnostics = match crate::build::check(&options) {
        Ok(warnings) => warnings,
        Err(errors) => errors,
    };
    for d in diagnostics.sorted() {
        if d.severity != Severity::Error {
            continue;
        }
        let note = model::Note::of(&d);
        if d.class == crate::diagnostic::Class::InternalLink {
            report.broken.push(note);
        } else {
            report.check_errors.push(model::Note {
                at: note.at,
                message: format!("sheaf check: {}", note.message),
            });
        }
    }
    if !report.broken.is_empty() {
        let mut links = crate::yaml::Mapping::new();
        links.insert(model::string("internal"), model::string("warn"));
        site.config
            .insert(model::string("links"), crate::yaml::Value::Mapping(links));
        std::fs::write(dest.join("config.yaml"), write::config(site)).map_err(|e| {
            Failure::new(
                1,
                Diagnostic::error(format!("cannot write config.yaml: {e}")),
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
