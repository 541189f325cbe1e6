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

use std::collections::HashMap;
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
use crate::render::plan::{self, Job};
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

/// The outcome of one successful run.
pub struct Rebuilt {
    pub site: Site,
    /// Output paths whose bytes may differ from the last successful run (all, the first time).
    pub changed: Vec<String>,
    /// Output paths the last successful run had and this one does not.
    pub removed: Vec<String>,
    /// How many jobs were rendered (the rest were reused).
    pub rendered: usize,
    pub warnings: Diagnostics,
    pub timings: Timings,
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

    /// Runs the pipeline. On failure nothing kept from the last successful run changes, so
    /// its output can still be served.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Diagnostics> {
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
        let to_render: Vec<Job> = planned
            .iter()
            .filter(|p| !self.jobs.contains_key(&p.key))
            .map(|p| p.job)
            .collect();
        let rendered = match render::run_jobs(&site, &renderer, &to_render) {
            Ok(rendered) => rendered,
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(diagnostics);
            }
        };
        timings.lap("render");
        let rendered_count = rendered.len();
        let mut fresh = rendered.into_iter();
        let mut jobs = HashMap::with_capacity(planned.len());
        let mut outputs: HashMap<String, Output> = HashMap::with_capacity(self.outputs.len());
        for p in &planned {
            let files = match self.jobs.get(&p.key) {
                Some(files) => files.clone(),
                None => Arc::new(fresh.next().unwrap_or_default()),
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
            jobs.insert(p.key, files);
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
        timings.lap("outputs");
        Ok(Rebuilt {
            site,
            changed,
            removed,
            rendered: rendered_count,
            warnings: diagnostics,
            timings,
        })
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
