//! What a session keeps of its output: every rendered job's files by the job's key, and
//! the output of the last complete run by path.
//!
//! Keys are fingerprints of a job's inputs (`render::plan`), so a stored job is valid
//! whenever its key comes up again, however many runs later, and a run that stopped
//! half-way loses nothing it rendered.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::output::OutputFile;
use crate::render::plan::Planned;

/// One output file and the key of the job that made it.
struct Output {
    key: u64,
    file: OutputFile,
}

#[derive(Default)]
pub(super) struct OutputStore {
    /// Files of rendered jobs by job key.
    jobs: HashMap<u64, Arc<Vec<OutputFile>>>,
    /// The last complete run's output, by path.
    outputs: HashMap<String, Output>,
}

impl OutputStore {
    pub(super) fn has(&self, key: u64) -> bool {
        self.jobs.contains_key(&key)
    }

    pub(super) fn insert(&mut self, key: u64, files: Vec<OutputFile>) {
        self.jobs.insert(key, Arc::new(files));
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
        let keep: HashSet<u64> = planned
            .iter()
            .map(|p| p.key)
            .chain(self.outputs.values().map(|o| o.key))
            .collect();
        self.jobs.retain(|key, _| keep.contains(key));
    }

    /// Makes the planned jobs' files the output (later jobs win a path, as `plan` orders
    /// them) and says which paths changed or went.
    pub(super) fn complete(&mut self, planned: &[Planned]) -> (Vec<String>, Vec<String>) {
        let mut jobs = HashMap::with_capacity(planned.len());
        let mut outputs: HashMap<String, Output> = HashMap::with_capacity(self.outputs.len());
        for p in planned {
            let Some(files) = self.jobs.get(&p.key) else {
                continue;
            };
            for file in files.iter() {
                let output = Output {
                    key: p.key,
                    file: file.clone(),
                };
                outputs.insert(file.path.clone(), output);
            }
            jobs.insert(p.key, files.clone());
        }
        let mut changed: Vec<String> = outputs
            .iter()
            .filter(|(path, o)| self.outputs.get(*path).is_none_or(|old| old.key != o.key))
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
