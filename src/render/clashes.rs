//! No two sources may make one output file.
//!
//! Every output path comes from one job (`Kind::claimed`). Two jobs naming the same
//! path would silently lose one file (the later one wins when staged); a file and a folder
//! of one name (`rss.xml` and an alias `/rss.xml/`, which is `rss.xml/index.html`) would fail
//! the write with no location. Both are found here from the plan alone, before anything is
//! rendered, and reported at the source the author can change: an alias line, a content
//! file, a page. The site's `static/` files are the one exception by design: a static file
//! replaces a generated file of its name (a hand-written `robots.txt`), so only its clashes
//! with aliases and with folders are errors.

use std::collections::HashMap;

use super::plan::{self, Job};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::OutputFile;

/// Who writes an output path, and how much it is the author's choice: when two clash, the
/// error goes to the one with the higher rank (`Kind::rank`: an alias before a copied file
/// before a page before anything generated).
#[derive(Debug, Clone, Copy)]
struct Owner {
    job: Job,
    rank: u8,
}

/// One error per output path that two sources make, and per file that another output
/// needs as a folder. `assets` are the compiled theme's files.
pub(crate) fn check(site: &Site, assets: &[OutputFile]) -> Vec<Diagnostic> {
    let mut owners: HashMap<String, Owner> = HashMap::new();
    let mut diagnostics = Vec::new();
    let mut add = |path: String, job: Job, diagnostics: &mut Vec<Diagnostic>| {
        let new = Owner {
            job,
            rank: job.kind().rank(),
        };
        match owners.get(&path) {
            None => {
                owners.insert(path, new);
            }
            // A static file replaces a generated one (by design), but never an alias.
            Some(old) if job.kind().replaces_generated() && old.rank < new.rank => {
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
        for path in job.kind().claimed(site, job.id(), assets) {
            add(path, job, &mut diagnostics);
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
    let kind = at_fault.kind();
    let other = other.kind().describe(site, other.id());
    Diagnostic::error(kind.clash_message(site, at_fault.id(), &what, &other))
        .at(kind.locate(site, at_fault.id()))
        .help(kind.clash_help())
}
