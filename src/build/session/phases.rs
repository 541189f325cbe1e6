//! The phases of [`Session::start`](super::Session::start) before any output is rendered:
//! read the sources, assemble (or patch) the model, render the Markdown bodies, compile
//! the theme, check the output paths. Each reports into the run's one collector.

use std::path::Path;
use std::sync::Arc;

use super::{CompiledTheme, Halt, Model, Run, Sources, load_theme_files, theme_key};
use crate::build::BuildOptions;
use crate::build::run::Changes;
use crate::components::Components;
use crate::config::{self, BaseUrlOverride, Config};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::fingerprint;
use crate::load::{ContentTree, Refreshed};
use crate::markdown::HighlightCache;
use crate::model::bodies::{self, BodyCache, Scope};
use crate::model::{self, Selection, Site};
use crate::render::{self, Renderer, Theme, context};
use crate::theme::ThemeFiles;

impl Sources {
    pub(super) fn new(highlights: HighlightCache) -> Sources {
        Sources {
            tree: None,
            config_fingerprint: 0,
            bodies: BodyCache::default(),
            highlights,
            newest_body: 0,
            output_checks: Diagnostics::new(),
            components: None,
        }
    }

    /// Every phase before rendering; on success the model and the theme to render with.
    pub(super) fn prepare<'s>(
        &mut self,
        options: &BuildOptions,
        changes: &Changes,
        model: &'s mut Option<Model>,
        theme: &'s mut Option<CompiledTheme>,
        run: &mut Run,
    ) -> Result<(&'s Site, &'s CompiledTheme), Halt> {
        let (config, refreshed) = self.read(options, changes, run);
        let config = match config {
            Ok(config) => config,
            Err(errors) => {
                // The tree moved on without the model: the next run must assemble it.
                *model = None;
                return Err(run.halt(errors));
            }
        };
        let (config_fingerprint, config_changed) = self.note_config(&config);
        let theme_files = load_theme_files(&options.root, &config);
        let patchable =
            !config_changed && !refreshed.structural && only_model_neutral(&options.root, changes);
        let (model, patched) = self.model(options, config, &refreshed, patchable, model, run);
        run.diagnostics.extend(model.diagnostics.iter().cloned());
        let components = self.components(theme_files.as_ref().ok(), run);
        self.render_bodies(&mut model.site, patched.as_deref(), &components, run);
        let site = &model.site;
        let theme_files = run.take(theme_files)?;
        let key = theme_key(&theme_files, config_fingerprint);
        let (compiled, theme_changed) = compile_theme(theme, site, &theme_files, key, run)?;
        if patched.is_none() || theme_changed {
            self.output_checks = check_outputs(site, &compiled.theme, options.preview);
        }
        run.diagnostics.extend(self.output_checks.iter().cloned());
        run.halt_on_errors()?;
        run.timings.lap("plan");
        Ok((site, compiled))
    }

    /// Loads the config and brings the content tree up to date with `changes`.
    fn read(
        &mut self,
        options: &BuildOptions,
        changes: &Changes,
        run: &mut Run,
    ) -> (Result<Config, Vec<Diagnostic>>, Refreshed) {
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
        run.timings.lap("read");
        (config, refreshed)
    }

    /// Remembers the config's fingerprint, and whether it changed since the last run.
    fn note_config(&mut self, config: &Config) -> (u64, bool) {
        let config_fingerprint = fingerprint::of(&format!("{config:?}"));
        let config_changed = config_fingerprint != self.config_fingerprint;
        if config_changed {
            // Base URL, Markdown and highlighting settings reach every body.
            self.bodies = BodyCache::default();
            self.config_fingerprint = config_fingerprint;
        }
        (config_fingerprint, config_changed)
    }

    /// The model for this run: the last one with the edited pages patched in when that is
    /// possible (`patchable`, and `model::patch` agrees; then the patched pages), else
    /// assembled from the content tree.
    fn model<'m>(
        &self,
        options: &BuildOptions,
        config: Config,
        refreshed: &Refreshed,
        patchable: bool,
        slot: &'m mut Option<Model>,
        run: &mut Run,
    ) -> (&'m mut Model, Option<Vec<usize>>) {
        let patched = match (patchable, slot.as_mut()) {
            (true, Some(model)) => self.patch(&mut model.site, refreshed),
            _ => None,
        };
        let model = match (slot, patched) {
            (Some(model), Some(pages)) => (model, Some(pages)),
            (slot, _) => {
                let (loaded, mut found) = match &self.tree {
                    Some(tree) => tree.loaded(),
                    None => Default::default(),
                };
                run.timings.lap("load");
                let selection = Selection {
                    drafts: options.drafts,
                    future: options.future,
                    now: chrono::Utc::now(),
                };
                let (site, model_errors) = model::assemble(config, loaded, selection);
                found.extend(model_errors);
                let diagnostics = Diagnostics::from(found);
                (slot.insert(Model { site, diagnostics }), None)
            }
        };
        run.stats.model_assembled = model.1.is_none();
        run.timings.lap("model");
        model
    }

    /// Puts edited pages into the last model when their front matter is unchanged (see
    /// `model::patch`); `None` when the model must be assembled again.
    fn patch(&self, site: &mut Site, refreshed: &Refreshed) -> Option<Vec<usize>> {
        let tree = self.tree.as_ref()?;
        let mut edited = Vec::with_capacity(refreshed.edited.len());
        for rel in &refreshed.edited {
            edited.push(tree.page(rel)?.clone());
        }
        model::patch(site, &edited, chrono::Utc::now())
    }

    /// Renders the bodies that changed (all of the model's, or only the patched pages'),
    /// and counts what was parsed and highlighted.
    /// The components as compiled from `files`: the last ones while their templates are
    /// the same, else compiled now, and every body rendered with the old ones dropped.
    /// Without theme files (their error is reported later) pages get no components.
    fn components(&mut self, files: Option<&ThemeFiles>, run: &mut Run) -> Arc<Components> {
        let Some(files) = files else {
            return Arc::new(Components::compile(&ThemeFiles::default()).0);
        };
        let key = Components::key_of(files);
        if let Some((kept, problems)) = &self.components
            && kept.key == key
        {
            run.diagnostics.extend(problems.iter().cloned());
            return kept.clone();
        }
        let (compiled, problems) = Components::compile(files);
        if self.components.is_some() {
            self.bodies = BodyCache::default();
        }
        let compiled = Arc::new(compiled);
        let problems = Diagnostics::from(problems);
        run.diagnostics.extend(problems.iter().cloned());
        self.components = Some((compiled.clone(), problems));
        compiled
    }

    fn render_bodies(
        &mut self,
        site: &mut Site,
        patched: Option<&[usize]>,
        components: &Components,
        run: &mut Run,
    ) {
        let scope = match patched {
            Some(pages) => Scope::Patched(pages),
            None => Scope::All,
        };
        let highlighted = self.highlights.highlighted();
        let found = self.highlights.found();
        let problems =
            bodies::render_all(site, &mut self.bodies, scope, &self.highlights, components);
        run.diagnostics.extend(problems);
        // Every rendered body gets a version newer than any before it.
        let versions = site.pages.iter().map(|p| p.body_version);
        let versions = versions.chain(site.sections.iter().map(|s| s.body_version));
        let newest = self.newest_body;
        let (fresh, max) = versions.fold((0, newest), |(n, max), v| {
            (n + usize::from(v > newest), max.max(v))
        });
        self.newest_body = max;
        run.stats.bodies_rendered = fresh;
        run.stats.code_blocks_highlighted = self.highlights.highlighted() - highlighted;
        run.stats.code_blocks_found = self.highlights.found() - found;
        run.timings.lap("markdown");
    }
}

/// The compiled theme for `key`: the last one if its key is the same, else compiled now
/// (and whether it was).
fn compile_theme<'t>(
    slot: &'t mut Option<CompiledTheme>,
    site: &Site,
    files: &ThemeFiles,
    key: u64,
    run: &mut Run,
) -> Result<(&'t CompiledTheme, bool), Halt> {
    let compiled = match slot.take().filter(|kept| kept.key == key) {
        Some(kept) => (kept, false),
        None => {
            let theme = run.take(Theme::compile(site, files))?;
            (CompiledTheme { key, theme }, true)
        }
    };
    Ok((slot.insert(compiled.0), compiled.1))
}

/// `template:` keys that name no template, and output paths that two sources make.
fn check_outputs(site: &Site, theme: &Theme, preview: bool) -> Diagnostics {
    let globals = context::build_globals(site, preview);
    let renderer = Renderer::new(site, theme, globals, preview);
    let mut problems = Diagnostics::from(renderer.check_templates(site));
    problems.extend(render::clashes::check(site, &theme.asset_files));
    problems
}

/// Whether `changes` touch nothing the model holds besides content files: the theme and
/// templates are not part of it, but the site's `static/` files are (a new one is output).
fn only_model_neutral(root: &Path, changes: &Changes) -> bool {
    let Changes::Paths(paths) = changes else {
        return false;
    };
    let roots = ["content", "templates", "themes"].map(|d| root.join(d));
    let canonical = roots.clone().map(|r| r.canonicalize().unwrap_or(r));
    paths
        .iter()
        .all(|p| roots.iter().chain(&canonical).any(|r| p.starts_with(r)))
}
