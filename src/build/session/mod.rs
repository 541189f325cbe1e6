//! A build that remembers: the one pipeline run both by `sheaf build` (once, from nothing)
//! and by `sheaf serve` (again after every save, reusing what did not change).
//!
//! What is kept between runs, and why reusing it is safe:
//! - the content tree (`load::ContentTree`): only files the watcher named are read again;
//! - rendered Markdown bodies (`model::bodies::BodyCache`): reused while the source, the
//!   page's URL and the answer to every link lookup the body made are unchanged;
//! - the compiled theme: while the theme's files and the config are unchanged;
//! - page cards and output files, with what rendering them read (`render::reads`): a job
//!   whose recorded reads give the same answers on the new model reuses its files.
//!
//! The model itself is assembled afresh every time (cheap next to rendering), so sections,
//! tags, prev/next and feeds never go stale. A clean build is the same code with empty
//! caches, which is what the incremental-equals-clean test compares.

use std::collections::HashSet;

mod finish;

pub use finish::Sink;

use super::run::{Changes, Pending, Rebuilt, Started, Urgent};
use super::{BuildOptions, Timings, config_key_location};
use crate::build::outputs::OutputStore;
use crate::config::{self, BaseUrlOverride};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fingerprint::{self, Fingerprint};
use crate::load::{ContentTree, Refreshed};
use crate::markdown::HighlightCache;
use crate::model::bodies::{BodyCache, Scope};
use crate::model::{self, Selection, Site};
use crate::output::OutputFile;
use crate::render::context::{self, CardCache};
use crate::render::plan::{self, Job, Planned};
use crate::render::reads::Current;
use crate::render::{self, Renderer, Theme};
use crate::theme::{self, ThemeFiles};

/// Where social cards are cached between builds, under the site root (`sheaf init`
/// puts it in `.gitignore`; deleting it only costs one build's rendering).
pub const CARD_CACHE_DIR: &str = ".sheaf-cache/cards";
/// Where highlighted code blocks are kept between builds (`markdown::HighlightCache`).
pub const HIGHLIGHT_CACHE_FILE: &str = ".sheaf-cache/highlight";

/// A run between `start` and `finish`.
struct Deferred {
    /// What every output of this run depends on (see `plan::global_fingerprint`).
    global: u64,
    warnings: Diagnostics,
    timings: Timings,
}

/// The compiled theme and the inputs it was compiled from.
struct CompiledTheme {
    key: u64,
    theme: Theme,
}

/// The model of the last run, with the load and model problems found making it (kept for
/// runs that patch the model instead of assembling it again).
struct Model {
    site: Site,
    diagnostics: Vec<Diagnostic>,
}

pub struct Session {
    options: BuildOptions,
    tree: Option<ContentTree>,
    /// The config as last loaded (its debug form: `Config` holds no secrets or pointers).
    config_fingerprint: u64,
    bodies: BodyCache,
    cards: CardCache,
    /// Social cards rendered by this and earlier builds, on disk (`CARD_CACHE_DIR`).
    social_cards: crate::cards::CardCache,
    /// Highlighted code blocks from earlier builds and this session (`HIGHLIGHT_CACHE_FILE`).
    highlights: HighlightCache,
    theme: Option<CompiledTheme>,
    store: OutputStore,
    /// A run that `start` began and `finish` has not completed.
    deferred: Option<Deferred>,
    model: Option<Model>,
    /// `template:` keys naming no template, as last checked.
    template_problems: Vec<Diagnostic>,
    /// Output paths that two sources make (`render::clashes`), as last checked.
    output_problems: Vec<Diagnostic>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Self {
        let social_cards = crate::cards::CardCache::new(options.root.join(CARD_CACHE_DIR));
        let highlight_file = options.root.join(HIGHLIGHT_CACHE_FILE);
        let highlights = if options.preview {
            HighlightCache::for_preview(highlight_file)
        } else {
            HighlightCache::for_build(highlight_file)
        };
        Session {
            options,
            tree: None,
            config_fingerprint: 0,
            bodies: BodyCache::default(),
            cards: CardCache::default(),
            social_cards,
            highlights,
            theme: None,
            store: OutputStore::default(),
            deferred: None,
            model: None,
            template_problems: Vec::new(),
            output_problems: Vec::new(),
        }
    }

    /// Keeps the code blocks this session highlighted for the next build (`sheaf build`
    /// only: a preview reads the cache but never writes it). `Err` is a warning: the next
    /// build only highlights again.
    pub fn store_highlights(&self) -> Result<(), Diagnostic> {
        self.highlights.store().map_err(|e| {
            Diagnostic::warning(format!(
                "could not keep highlighted code in {HIGHLIGHT_CACHE_FILE}: {e}"
            ))
            .help("the site was built; the next build highlights its code again")
        })
    }

    /// How many code blocks this session highlighted, and how many it found in the cache.
    pub fn code_blocks(&self) -> (usize, usize) {
        (self.highlights.highlighted(), self.highlights.found())
    }

    /// How many social cards this session has rendered (rather than found in the cache).
    pub fn cards_rendered(&self) -> usize {
        self.social_cards.renders()
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The output of the last successful run.
    pub fn files(&self) -> impl Iterator<Item = &OutputFile> {
        self.store.files()
    }

    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        self.store.file(path)
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
        let refreshed = match (&mut self.tree, changes) {
            (Some(tree), Changes::Paths(paths)) => tree.refresh(paths),
            (tree, _) => {
                *tree = Some(ContentTree::scan(&options.root));
                Refreshed {
                    edited: Vec::new(),
                    structural: true,
                }
            }
        };
        timings.lap("read");
        let config = match config {
            Ok(config) => config,
            Err(errors) => {
                self.model = None;
                diagnostics.extend(errors);
                return Err(diagnostics);
            }
        };
        let config_fingerprint = fingerprint::of(&format!("{config:?}"));
        let config_changed = config_fingerprint != self.config_fingerprint;
        if config_changed {
            // Base URL, Markdown and highlighting settings reach every body.
            self.bodies = BodyCache::default();
            self.config_fingerprint = config_fingerprint;
        }
        let theme_location = config_key_location(&options.root, "theme");
        let theme_files = theme::load(&options.root, &config.theme, theme_location);
        let patched = if !config_changed
            && !refreshed.structural
            && only_model_neutral(&options.root, changes)
        {
            self.patch_model(&refreshed)
        } else {
            None
        };
        if patched.is_none() {
            let (loaded, mut found) = match &self.tree {
                Some(tree) => tree.loaded(),
                None => Default::default(),
            };
            timings.lap("load");
            let selection = Selection {
                drafts: options.drafts,
                future: options.future,
                now: chrono::Utc::now(),
            };
            let (site, model_errors) = model::assemble(config, loaded, selection);
            found.extend(model_errors);
            self.model = Some(Model {
                site,
                diagnostics: found,
            });
        }
        timings.lap("model");
        let Some(model) = self.model.as_mut() else {
            return Err(diagnostics);
        };
        diagnostics.extend(model.diagnostics.iter().cloned());
        let site = &mut model.site;
        let scope = match &patched {
            Some(pages) => Scope::Patched(pages),
            None => Scope::All,
        };
        diagnostics.extend(model::bodies::render_all(
            site,
            &mut self.bodies,
            scope,
            &self.highlights,
        ));
        timings.lap("markdown");
        let site = &model.site;
        let theme_files = match theme_files {
            Ok(files) => files,
            Err(e) => {
                diagnostics.push(e);
                return Err(diagnostics);
            }
        };
        let theme_key = theme_key(&theme_files, config_fingerprint);
        let theme_changed = self.theme.as_ref().is_none_or(|t| t.key != theme_key);
        if theme_changed {
            match Theme::compile(site, &theme_files) {
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
        let global = plan::global_fingerprint(site, theme_key, preview);
        if patched.is_none() || theme_changed {
            // `template:` keys only change with front matter (no patch) or the theme.
            let renderer = Renderer::new(
                site,
                &compiled.theme,
                context::build_globals(site, options.preview),
                options.preview,
            );
            self.template_problems = renderer.check_templates(site);
            // Output paths only change with the model's shape (no patch) or the theme.
            self.output_problems = render::clashes::check(site, &compiled.theme.asset_files);
        }
        diagnostics.extend(self.template_problems.iter().cloned());
        diagnostics.extend(self.output_problems.iter().cloned());
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        timings.lap("plan");
        let (files, pending) = match urgent {
            Urgent::All => (Vec::new(), Pending::AllBut(HashSet::new())),
            Urgent::Files(open) => {
                let now = Current::new(site, global);
                let keyed = plan::jobs_for_files(site, open);
                let current: HashSet<String> = keyed
                    .iter()
                    .flat_map(|p| plan::output_paths(site, p.job))
                    .collect();
                let stale: Vec<Planned> = keyed
                    .into_iter()
                    .filter(|p| !self.store.is_fresh(&now, p))
                    .collect();
                let lists = stale.iter().any(|p| plan::shows_cards(p.job));
                let contexts = if lists {
                    context::build(&now, options.preview, &mut self.cards)
                } else {
                    context::build_globals(site, options.preview)
                };
                let renderer = Renderer::new(site, &compiled.theme, contexts, options.preview)
                    .with_card_cache(&self.social_cards);
                let jobs: Vec<Job> = stale.iter().map(|p| p.job).collect();
                let rendered = match render::run_jobs(&now, &renderer, &jobs) {
                    Ok(rendered) => rendered,
                    Err(errors) => {
                        diagnostics.extend(errors);
                        return Err(diagnostics);
                    }
                };
                let mut files = Vec::new();
                for (p, rendered) in stale.iter().zip(rendered) {
                    files.extend(rendered.files.iter().cloned());
                    self.store.insert(p, rendered);
                }
                (files, Pending::AllBut(current))
            }
        };
        timings.lap("render");
        self.deferred = Some(Deferred {
            global,
            warnings: diagnostics.clone(),
            timings: timings.clone(),
        });
        Ok(Started {
            files,
            pending,
            warnings: diagnostics,
            timings,
        })
    }

    /// Puts edited pages into the last model when their front matter is unchanged (see
    /// `model::patch`); `None` when the model must be assembled again.
    fn patch_model(&mut self, refreshed: &Refreshed) -> Option<Vec<usize>> {
        let (Some(model), Some(tree)) = (self.model.as_mut(), self.tree.as_ref()) else {
            return None;
        };
        let mut edited = Vec::with_capacity(refreshed.edited.len());
        for rel in &refreshed.edited {
            edited.push(tree.page(rel)?.clone());
        }
        model::patch(&mut model.site, &edited, chrono::Utc::now())
    }

    /// The model of the last run, if it got that far.
    pub fn site(&self) -> Option<&Site> {
        self.model.as_ref().map(|m| &m.site)
    }

    /// Ends the session, keeping the model of the last run.
    pub fn into_site(self) -> Option<Site> {
        self.model.map(|m| m.site)
    }
}

/// Whether `changes` touch nothing the model holds besides content files: the theme and
/// templates are not part of it, but the site's `static/` files are (a new one is output).
fn only_model_neutral(root: &std::path::Path, changes: &Changes) -> bool {
    let Changes::Paths(paths) = changes else {
        return false;
    };
    let roots = ["content", "templates", "themes"].map(|d| root.join(d));
    let canonical = roots.clone().map(|r| r.canonicalize().unwrap_or(r));
    paths
        .iter()
        .all(|p| roots.iter().chain(&canonical).any(|r| p.starts_with(r)))
}

/// The theme's files and the config they are compiled against.
fn theme_key(files: &ThemeFiles, config_fingerprint: u64) -> u64 {
    let mut parts = Fingerprint::new();
    parts.with(&config_fingerprint);
    for file in files.templates.iter().chain(&files.statics) {
        parts.with(&file.name).with(&file.bytes);
    }
    parts.finish()
}
