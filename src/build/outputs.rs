//! What a session keeps of its output: every rendered job's files and reads by the job's
//! name, and the output of the last complete run by path.
//!
//! A job is known by its name (`render::plan::Planned`) and kept with what rendering it
//! read (`render::reads`), so a stored job is valid whenever its reads still give the same
//! answers, however many runs later, and a run that stopped half-way loses nothing it
//! rendered.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::output::{Contents, OutputFile};
use crate::render::plan::{Planned, Rendered};
use crate::render::reads::Current;

/// One output file and the version of the job's files that made it.
struct Output {
    version: u64,
    file: OutputFile,
}

/// A rendered job: its files, what it read, and a version number new for every render.
#[derive(Clone)]
struct Stored {
    rendered: Arc<Rendered>,
    version: u64,
}

#[derive(Default)]
pub(super) struct OutputStore {
    /// Rendered jobs by job name.
    jobs: HashMap<u64, Stored>,
    /// The last complete run's output, by path.
    outputs: HashMap<String, Output>,
    /// The version the next render gets.
    next_version: u64,
}

impl OutputStore {
    /// Whether the store has `job`'s files and everything it read is unchanged on `now`.
    pub(super) fn is_fresh(&self, now: &Current, job: &Planned) -> bool {
        self.jobs
            .get(&job.name)
            .is_some_and(|s| s.rendered.holds(now))
    }

    /// The files job `name` wrote when last rendered, if it was.
    pub(super) fn files_of(&self, name: u64) -> &[OutputFile] {
        self.jobs.get(&name).map_or(&[], |s| &s.rendered.files)
    }

    pub(super) fn insert(&mut self, job: &Planned, rendered: Rendered) {
        self.next_version += 1;
        let stored = Stored {
            rendered: Arc::new(rendered),
            version: self.next_version,
        };
        self.jobs.insert(job.name, stored);
    }

    /// Packs every text file still held plain (`OutputFile::pack`), the jobs' and the last
    /// output's alike (they share the packed bytes), in parallel; returns the paths of the
    /// output files packed.
    pub(super) fn pack(&mut self) -> Vec<String> {
        use rayon::prelude::*;
        self.jobs.par_iter_mut().for_each(|(_, stored)| {
            // Always alone: a run's jobs are only shared while it completes.
            if let Some(rendered) = Arc::get_mut(&mut stored.rendered) {
                rendered.files.iter_mut().for_each(OutputFile::pack);
            }
        });
        let by_version: HashMap<u64, &Stored> =
            self.jobs.values().map(|s| (s.version, s)).collect();
        let mut packed = Vec::new();
        for (path, output) in &mut self.outputs {
            if !matches!(output.file.contents, Contents::Bytes(_)) {
                continue;
            }
            let job_file = by_version
                .get(&output.version)
                .and_then(|stored| stored.rendered.files.iter().find(|f| f.path == *path));
            if let Some(file) = job_file
                && matches!(file.contents, Contents::Packed(_))
            {
                output.file = file.clone();
                packed.push(path.clone());
            }
        }
        packed
    }

    /// The output of the last complete run.
    pub(super) fn files(&self) -> impl Iterator<Item = &OutputFile> {
        self.outputs.values().map(|o| &o.file)
    }

    pub(super) fn file(&self, path: &str) -> Option<&OutputFile> {
        self.outputs.get(path).map(|o| &o.file)
    }

    /// After a stopped run: keeps the jobs of `planned` and of the last complete output,
    /// so jobs rendered for plans that are already stale do not pile up.
    pub(super) fn prune(&mut self, planned: &[Planned]) {
        let mut keep: HashSet<u64> = planned.iter().map(|p| p.name).collect();
        let versions: HashSet<u64> = self.outputs.values().map(|o| o.version).collect();
        for (name, stored) in &self.jobs {
            if versions.contains(&stored.version) {
                keep.insert(*name);
            }
        }
        self.jobs.retain(|name, _| keep.contains(name));
    }

    /// Makes the planned jobs' files the output (later jobs win a path, as `plan` orders
    /// them) and says which paths changed or went.
    pub(super) fn complete(&mut self, planned: &[Planned]) -> (Vec<String>, Vec<String>) {
        let mut jobs = HashMap::with_capacity(planned.len());
        let mut outputs: HashMap<String, Output> = HashMap::with_capacity(self.outputs.len());
        for p in planned {
            let Some(stored) = self.jobs.get(&p.name).cloned() else {
                continue;
            };
            for file in &stored.rendered.files {
                let output = Output {
                    version: stored.version,
                    file: file.clone(),
                };
                outputs.insert(file.path.clone(), output);
            }
            jobs.insert(p.name, stored);
        }
        let mut changed: Vec<String> = outputs
            .iter()
            .filter(|(path, o)| {
                self.outputs
                    .get(*path)
                    .is_none_or(|old| old.version != o.version)
            })
            .map(|(path, _)| path.clone())
            .collect();
        let mut removed: Vec<String> = self
            .outputs
            .keys()
            .filter(|path| !outputs.contains_key(*path))
            .cloned()
            .collect();
        changed.sort();
        removed.sort();
        self.jobs = jobs;
        self.outputs = outputs;
        (changed, removed)
    }
}
