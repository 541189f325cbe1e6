//! A build that remembers: the one pipeline run both by `sheaf build` (once, from nothing)
//! and by `sheaf serve` (again after every save, reusing what did not change).
//!
//! What is kept between runs, and why reusing it is safe:
//! - the content tree (`load::ContentTree`): only files the watcher named are read again;
//! - rendered Markdown bodies (`model::bodies::BodyCache`): reused while the source, the
//!   page's URL and the answer to every link lookup the body made are unchanged;
//! - the compiled theme: while the theme's files and the config are unchanged;
//! - page cards and output files, by fingerprint (`render::plan`): a job whose inputs hash
//!   to a key seen in the last build reuses that build's files.
//!
//! The model itself is assembled afresh every time (cheap next to rendering), so sections,
//! tags, prev/next and feeds never go stale. A clean build is the same code with empty
//! caches, which is what the incremental-equals-clean test compares.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::{BuildOptions, Timings, config_key_location};
use crate::config::{self, BaseUrlOverride};
use crate::diagnostic::Diagnostics;
use crate::fingerprint::{self, Fingerprint};
use crate::load::ContentTree;
use crate::model::{self, Selection, Site, bodies::BodyCache};
use crate::render::assets::OutputFile;
use crate::render::context::{self, CardCache};
use crate::render::plan::{self, Job, Planned};
use crate::render::{self, Renderer, Theme};
use crate::theme::{self, ThemeFiles};

/// What changed since the last run.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Read everything again (the first run, or the watcher lost track).
    All,
    /// These paths (absolute, as the watcher reports them) were written, created or removed.
    Paths(Vec<PathBuf>),
}

/// Which output files must be rendered before [`Session::start`] returns; the rest wait
/// for [`Session::finish`].
pub enum Urgent {
    /// Everything (a build, or a preview with no page open).
    All,
    /// The files of the pages open in a browser (output paths like `essays/a/index.html`).
    Files(HashSet<String>),
}

/// What [`Session::start`] did: the urgent files are rendered, the rest is pending.
pub struct Started {
    /// Output files rendered anew by this run so far.
    pub files: Vec<OutputFile>,
    /// Output paths that are not up to date until `finish`: requests for them should wait.
    pub pending: Vec<String>,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// The outcome of one complete run.
pub struct Rebuilt {
    pub site: Site,
    /// Output paths whose bytes may differ from the last complete run (all, the first time).
    pub changed: Vec<String>,
    /// Output paths the last complete run had and this one does not.
    pub removed: Vec<String>,
    /// How many jobs were rendered (the rest were reused).
    pub rendered: usize,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// A run between `start` and `finish`: the model and the jobs still to render.
struct Deferred {
    site: Site,
    contexts: context::Contexts,
    planned: Vec<Planned>,
    /// Indices into `planned` of the jobs `start` left for `finish`.
    remaining: Vec<usize>,
    rendered: usize,
    warnings: Diagnostics,
    timings: Timings,
}

/// The compiled theme and the inputs it was compiled from.
struct CompiledTheme {
    key: u64,
    theme: Theme,
}

/// One output file and the key of the job that made it.
struct Output {
    key: u64,
    file: OutputFile,
}

pub struct Session {
    options: BuildOptions,
    tree: Option<ContentTree>,
    /// The config as last loaded (its debug form: `Config` holds no secrets or pointers).
    config_fingerprint: u64,
    bodies: BodyCache,
    cards: CardCache,
    theme: Option<CompiledTheme>,
    /// Files of the last successful run by job key.
    jobs: HashMap<u64, Arc<Vec<OutputFile>>>,
    /// The last successful run's output, by path.
    outputs: HashMap<String, Output>,
    /// A run that `start` began and `finish` has not completed.
    deferred: Option<Deferred>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Self {
        Session {
            options,
            tree: None,
            config_fingerprint: 0,
            bodies: BodyCache::default(),
            cards: CardCache::default(),
            theme: None,
            jobs: HashMap::new(),
            outputs: HashMap::new(),
            deferred: None,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The output of the last successful run.
    pub fn files(&self) -> impl Iterator<Item = &OutputFile> {
        self.outputs.values().map(|o| &o.file)
    }

    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        self.outputs.get(path).map(|o| &o.file)
    }

    /// Runs the whole pipeline. On failure nothing kept from the last successful run
    /// changes, so its output can still be served.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
        self.start(changes, &Urgent::All)?;
        self.finish()
    }

    /// Runs the pipeline up to the urgent files: reads what changed, assembles the model,
    /// renders changed bodies, plans every output, and renders the jobs that make `urgent`
    /// files (the live preview's open pages). Call [`Session::finish`] next.
    pub fn start(&mut self, changes: &Changes, urgent: &Urgent) -> Result<Started, Diagnostics> {
        self.deferred = None;
        let options = self.options.clone();
        let mut diagnostics = Diagnostics::new();
        let mut timings = Timings::start();
        let base_url = match &options.base_url {
            Some(url) => BaseUrlOverride::CommandLine(url.clone()),
            None => BaseUrlOverride::None,
        };
        let config = config::load(&options.root, &base_url);
        match (&mut self.tree, changes) {
            (Some(tree), Changes::Paths(paths)) => {
                tree.refresh(paths);
            }
            (tree, _) => *tree = Some(ContentTree::scan(&options.root)),
        }
        timings.lap("read");
        let config = match config {
            Ok(config) => config,
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(diagnostics);
            }
        };
        let config_fingerprint = fingerprint::of(&format!("{config:?}"));
        if config_fingerprint != self.config_fingerprint {
            // Base URL, Markdown and highlighting settings reach every body.
            self.bodies = BodyCache::default();
            self.config_fingerprint = config_fingerprint;
        }
        let (loaded, load_errors) = match &self.tree {
            Some(tree) => tree.loaded(),
            None => Default::default(),
        };
        diagnostics.extend(load_errors);
        timings.lap("load");
        let theme_location = config_key_location(&options.root, "theme");
        let theme_files = theme::load(&options.root, &config.theme, theme_location);
        let selection = Selection {
            drafts: options.drafts,
            future: options.future,
            now: chrono::Utc::now(),
        };
        let (mut site, model_errors) = model::assemble(config, loaded, selection);
        diagnostics.extend(model_errors);
        timings.lap("model");
        diagnostics.extend(model::bodies::render_all(&mut site, &mut self.bodies));
        timings.lap("markdown");
        let theme_files = match theme_files {
            Ok(files) => files,
            Err(e) => {
                diagnostics.push(e);
                return Err(diagnostics);
            }
        };
        let theme_key = theme_key(&theme_files, config_fingerprint);
        if self.theme.as_ref().is_none_or(|t| t.key != theme_key) {
            match Theme::compile(&site, &theme_files) {
                Ok(theme) => {
                    self.theme = Some(CompiledTheme {
                        key: theme_key,
                        theme,
                    })
                }
                Err(errors) => {
                    self.theme = None;
                    diagnostics.extend(errors);
                    return Err(diagnostics);
                }
            }
        }
        let Some(compiled) = &self.theme else {
            return Err(diagnostics);
        };
        let preview = if options.preview { "preview" } else { "" };
        let global = plan::global_fingerprint(&site, theme_key, preview);
        let (planned, page_fingerprints) = plan::plan(&site, global);
        let card_keys: Vec<u64> = page_fingerprints
            .iter()
            .map(|fp| Fingerprint::new().with(&global).with(fp).finish())
            .collect();
        let contexts = context::build(&site, options.preview, &card_keys, &mut self.cards);
        let renderer = Renderer::new(&site, &compiled.theme, contexts, options.preview);
        diagnostics.extend(renderer.check_templates(&site));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        timings.lap("plan");
        let stale: Vec<usize> = (0..planned.len())
            .filter(|&i| !self.jobs.contains_key(&planned[i].key))
            .collect();
        let (now, later): (Vec<usize>, Vec<usize>) = match urgent {
            Urgent::All => (stale, Vec::new()),
            Urgent::Files(open) => stale.into_iter().partition(|&i| {
                let job = planned[i].job;
                plan::is_cheap(job)
                    || plan::output_paths(&site, job)
                        .iter()
                        .any(|p| open.contains(p))
            }),
        };
        let jobs: Vec<Job> = now.iter().map(|&i| planned[i].job).collect();
        let rendered = match render::run_jobs(&site, &renderer, &jobs) {
            Ok(rendered) => rendered,
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(diagnostics);
            }
        };
        let mut changed = Vec::new();
        for (&i, files) in now.iter().zip(rendered) {
            changed.extend(files.iter().cloned());
            self.jobs.insert(planned[i].key, Arc::new(files));
        }
        timings.lap("render");
        let pending = self.pending_paths(&site, &planned, &later);
        let contexts = renderer.into_contexts();
        let started = Started {
            files: changed,
            pending,
            warnings: Diagnostics::new(),
            timings: timings.clone(),
        };
        self.deferred = Some(Deferred {
            site,
            contexts,
            planned,
            remaining: later,
            rendered: now.len(),
            warnings: diagnostics.clone(),
            timings,
        });
        Ok(Started {
            warnings: diagnostics,
            ..started
        })
    }

    /// Output paths that `finish` may still change: those of the jobs left to render, and
    /// those of the last complete run that the new plan no longer makes.
    fn pending_paths(&self, site: &Site, planned: &[Planned], later: &[usize]) -> Vec<String> {
        let mut pending: Vec<String> = later
            .iter()
            .flat_map(|&i| plan::output_paths(site, planned[i].job))
            .collect();
        let keys: HashSet<u64> = planned.iter().map(|p| p.key).collect();
        pending.extend(
            self.outputs
                .iter()
                .filter(|(_, o)| !keys.contains(&o.key))
                .map(|(path, _)| path.clone()),
        );
        pending.sort();
        pending.dedup();
        pending
    }

    /// Renders what `start` left and makes the result the session's output.
    pub fn finish(&mut self) -> Result<Rebuilt, Diagnostics> {
        let Some(deferred) = self.deferred.take() else {
            return Err(Diagnostics::new());
        };
        let Deferred {
            site,
            contexts,
            planned,
            remaining,
            rendered,
            mut warnings,
            mut timings,
        } = deferred;
        let Some(compiled) = &self.theme else {
            return Err(warnings);
        };
        let renderer = Renderer::new(&site, &compiled.theme, contexts, self.options.preview);
        let jobs: Vec<Job> = remaining.iter().map(|&i| planned[i].job).collect();
        match render::run_jobs(&site, &renderer, &jobs) {
            Ok(files) => {
                for (&i, files) in remaining.iter().zip(files) {
                    self.jobs.insert(planned[i].key, Arc::new(files));
                }
            }
            Err(errors) => {
                warnings.extend(errors);
                return Err(warnings);
            }
        }
        timings.lap("finish");
        let (changed, removed) = self.take_outputs(&planned);
        timings.lap("outputs");
        Ok(Rebuilt {
            site,
            changed,
            removed,
            rendered: rendered + remaining.len(),
            warnings,
            timings,
        })
    }

    /// Makes the planned jobs' files the output and says which paths changed or went.
    fn take_outputs(&mut self, planned: &[Planned]) -> (Vec<String>, Vec<String>) {
        let mut jobs = HashMap::with_capacity(planned.len());
        let mut outputs: HashMap<String, Output> = HashMap::with_capacity(self.outputs.len());
        for p in planned {
            let Some(files) = self.jobs.get(&p.key) else {
                continue;
            };
            for file in files.iter() {
                outputs.insert(
                    file.path.clone(),
                    Output {
                        key: p.key,
                        file: file.clone(),
                    },
                );
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

/// The theme's files and the config they are compiled against.
fn theme_key(files: &ThemeFiles, config_fingerprint: u64) -> u64 {
    let mut parts = Fingerprint::new().with(&config_fingerprint);
    for file in files.templates.iter().chain(&files.statics) {
        parts = parts.with(&file.name).with(&file.bytes);
    }
    parts.finish()
}
