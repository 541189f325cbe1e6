//! No two sources may make one output file.
//!
//! Every output path comes from one job (`plan::output_paths`). Two jobs naming the same
//! path would silently lose one file (the later one wins when staged); a file and a folder
//! of one name (`rss.xml` and an alias `/rss.xml/`, which is `rss.xml/index.html`) would fail
//! the write with no location. Both are found here from the plan alone, before anything is
//! rendered, and reported at the source the author can change: an alias line, a content
//! file, a page. The site's `static/` files are the one exception by design: a static file
//! replaces a generated file of its name (a hand-written `robots.txt`), so only its clashes
//! with aliases and with folders are errors.

use std::collections::HashMap;

use super::plan::{self, Job};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::OutputFile;

/// Who writes an output path, and how much it is the author's choice: when two clash, the
/// error goes to the one with the higher rank (an alias before a copied file before a page
/// before anything generated).
#[derive(Debug, Clone, Copy)]
struct Owner {
    job: Job,
    rank: u8,
}

fn rank(job: Job) -> u8 {
    match job {
        Job::Alias(_) => 4,
        Job::Static(_) => 3,
        Job::ContentFile(_) => 2,
        Job::Page(_) | Job::Section(_) => 1,
        _ => 0,
    }
}

/// One error per output path that two sources make, and per file that another output
/// needs as a folder. `assets` are the compiled theme's files.
pub(crate) fn check(site: &Site, assets: &[OutputFile]) -> Vec<Diagnostic> {
    let mut owners: HashMap<String, Owner> = HashMap::new();
    let mut diagnostics = Vec::new();
    let mut add = |path: String, job: Job, diagnostics: &mut Vec<Diagnostic>| {
        let new = Owner {
            job,
            rank: rank(job),
        };
        match owners.get(&path) {
            None => {
                owners.insert(path, new);
            }
            // A static file replaces a generated one (by design), but never an alias.
            Some(old) if matches!(job, Job::Static(_)) && !matches!(old.job, Job::Alias(_)) => {
                owners.insert(path, new);
            }
            Some(old) => {
                let (at_fault, other) = if new.rank >= old.rank {
                    (new, *old)
                } else {
                    (*old, new)
                };
                diagnostics.push(clash(site, &path, at_fault.job, other.job, false));
                owners.insert(path, at_fault);
            }
        }
    };
    for job in plan::jobs(site) {
        if job == Job::Assets {
            for file in assets {
                add(file.path.clone(), job, &mut diagnostics);
            }
        } else {
            for path in plan::output_paths(site, job) {
                add(path, job, &mut diagnostics);
            }
        }
    }
    // A file where another output needs a folder: `a` and `a/index.html`.
    let mut folder_clashes = Vec::new();
    for (path, owner) in &owners {
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            let folder = &path[..end + slash];
            if let Some(file_owner) = owners.get(folder) {
                let (at_fault, other) = if owner.rank >= file_owner.rank {
                    (owner.job, file_owner.job)
                } else {
                    (file_owner.job, owner.job)
                };
                folder_clashes.push((folder.to_string(), at_fault, other));
            }
            end += slash + 1;
        }
    }
    folder_clashes.sort_by(|a, b| a.0.cmp(&b.0));
    folder_clashes.dedup_by(|a, b| a.0 == b.0);
    for (folder, at_fault, other) in folder_clashes {
        diagnostics.push(clash(site, &folder, at_fault, other, true));
    }
    diagnostics
}

fn clash(site: &Site, path: &str, at_fault: Job, other: Job, as_folder: bool) -> Diagnostic {
    let what = if as_folder {
        format!("`{path}` is needed both as a file and as a folder of the output")
    } else {
        format!("two sources write the output file `{path}`")
    };
    let message = match at_fault {
        Job::Alias(a) => format!(
            "alias `{}` would replace {}",
            site.aliases[a].0,
            describe(site, other)
        ),
        _ => format!(
            "{what}: {} and {}",
            describe(site, at_fault),
            describe(site, other)
        ),
    };
    let help = match at_fault {
        Job::Alias(_) => {
            "an alias only makes a redirect page at an old URL that nothing else uses; remove it or pick another path"
        }
        Job::ContentFile(_) | Job::Static(_) => "rename or move the file",
        Job::Page(_) | Job::Section(_) => {
            "give the page another `slug:` or move it to another folder: this URL belongs to a page sheaf makes"
        }
        _ => "rename one of them",
    };
    Diagnostic::error(message)
        .at(location(site, at_fault))
        .help(help)
}

/// What a job makes, in words.
fn describe(site: &Site, job: Job) -> String {
    match job {
        Job::Page(i) => format!("the page `{}`", site.pages[i].doc.source.shown.display()),
        Job::Section(0) => "the home page".into(),
        Job::Section(s) => format!("the section page `{}`", site.sections[s].path),
        Job::Tag(t) => format!("the tag page of `{}`", site.tags[t].name),
        Job::TagIndex => "the tag index".into(),
        Job::NotFound => "the 404 page".into(),
        Job::Alias(a) => format!("the alias `{}`", site.aliases[a].0),
        Job::Results(p) => format!(
            "a result page of the worksheet `{}`",
            site.pages[p].doc.source.shown.display()
        ),
        Job::Cards(_) => "a social card".into(),
        Job::SiteFeeds => "the site's feeds".into(),
        Job::TagFeed(t) => format!("the feed of the tag `{}`", site.tags[t].name),
        Job::Sitemap => "the sitemap".into(),
        Job::Robots => "robots.txt".into(),
        Job::NoJekyll => ".nojekyll".into(),
        Job::Assets => "a theme asset".into(),
        Job::ContentFile(f) => format!("the file `content/{}`", site.files[f].rel),
        Job::Static(f) => format!("the file `static/{}`", site.statics[f].rel),
    }
}

/// Where the author can fix a job's output path.
fn location(site: &Site, job: Job) -> Location {
    match job {
        Job::Alias(a) => {
            let (path, page) = &site.aliases[a];
            crate::model::locate_alias(&site.pages[*page].doc, path)
        }
        Job::Page(i) | Job::Results(i) | Job::Cards(i) => {
            Location::file_only(&site.pages[i].doc.source.shown)
        }
        Job::Section(s) => match &site.sections[s].doc {
            Some(doc) => Location::file_only(&doc.source.shown),
            None => Location::file_only("content"),
        },
        Job::Tag(t) | Job::TagFeed(t) => match site.tags[t].pages.first() {
            Some(&p) => {
                let doc = &site.pages[p].doc;
                crate::load::locate_key(&doc.source, &doc.yaml, "tags")
            }
            None => Location::file_only("content"),
        },
        Job::ContentFile(f) => {
            Location::file_only(format!("content/{}", site.files[f].rel).as_str())
        }
        Job::Static(f) => Location::file_only(format!("static/{}", site.statics[f].rel).as_str()),
        _ => Location::file_only("content"),
    }
}
