//! The phases of [`Session::start`](super::Session::start) before any output is rendered:
//! read the sources, assemble (or patch) the model, render the Markdown bodies, compile
//! the theme, check the output paths. Each reports into the run's one collector.

use std::path::Path;
use std::sync::Arc;

use super::theme_compile::{ThemeToCompile, load_theme_files};
use super::{CompiledTheme, Halt, Model, Run, Sources};
use crate::build::BuildOptions;
use crate::build::run::Changes;
use crate::components::Components;
use crate::config::{self, BaseUrlOverride, Config};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::fingerprint;
use crate::load::{ContentTree, Refreshed};
use crate::markdown::HighlightCache;
use crate::model::bodies::{self, BodyCache, Scope};
use crate::model::{self, Selection, Site};
use crate::render::plan::Bodies;
use crate::render::{self, Renderer, Theme, context};
use crate::theme::ThemeFiles;
use std::convert::Infallible;

/// How many deferred bodies `finish_bodies` renders between two looks at its stop
/// condition: about 100 ms of Markdown on a 2-core machine with a cold highlight cache.
const BODY_CHUNK: usize = 128;

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
            bodies_deferred: false,
            highlights_at_start: (0, 0),
        }
    }

    /// Every phase before rendering; on success the model and the theme to render with.
    pub(super) fn prepare<'s>(
        &mut self,
        options: &BuildOptions,
        changes: &Changes,
        model: &'s mut Option<Model>,
        theme: &'s mut Option<CompiledTheme>,
        defer: bool,
        run: &mut Run,
    ) -> Result<(&'s mut Site, &'s CompiledTheme), Halt> {
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
        let mut theme_ids_changed = false;
        if let Ok(files) = &theme_files {
            let ids = files.page_ids();
            if ids != *self.bodies.theme_ids() {
                // Rare (a template gained or lost an id): every body and anchor again.
                self.bodies = BodyCache::with_theme_ids(ids);
                theme_ids_changed = true;
            }
        }
        run.diagnostics
            .grade_internal_links(match config.links.internal {
                config::LinkLevel::Error => Severity::Error,
                config::LinkLevel::Warn => Severity::Warning,
            });
        let patchable = !config_changed
            && !theme_ids_changed
            && !refreshed.structural
            && only_model_neutral(&options.root, changes);
        let (model, patched) = self.model(options, config, &refreshed, patchable, model, run);
        run.diagnostics.extend(model.diagnostics.iter().cloned());
        let components = self.components(theme_files.as_ref().ok(), run);
        self.highlights_at_start = (self.highlights.highlighted(), self.highlights.found());
        let all = patched.is_none() || self.bodies_deferred;
        // The theme needs only the config, so it is compiled while the bodies render: on a
        // cold build it is milliseconds of one thread that the other would otherwise wait
        // out (the bodies are spread over every thread and take the other one back). It
        // goes first, on the thread that calls: second, it waits to be stolen, and in a
        // third of cold 100-page builds no worker took it until the bodies were done, so it
        // ran alone at the end (4.5 ms). On a thread of its own it was slower still: it then
        // ran beside the reading of the content rather than filling the wait for the syntax
        // set at the bodies' start.
        let compile = ThemeToCompile {
            kept: theme.take(),
            files: theme_files.as_ref(),
            config_fingerprint,
            highlight: model.site.config.highlight.clone(),
            urls: model.site.config.urls.clone(),
        };
        let (compiled, ()) = rayon::join(
            || compile.compile(),
            || {
                self.bodies_for_start(
                    &mut model.site,
                    patched.as_deref(),
                    all,
                    defer,
                    &components,
                    run,
                )
            },
        );
        let site = &mut model.site;
        let (compiled, theme_changed) = run.take(compiled)?;
        let compiled: &CompiledTheme = theme.insert(compiled);
        if patched.is_none() || theme_changed {
            self.output_checks = check_outputs(&*site, &compiled.theme, options.preview);
        }
        run.diagnostics.extend(self.output_checks.iter().cloned());
        run.halt_on_errors()?;
        run.timings.lap("plan");
        Ok((site, compiled))
    }

    /// The bodies the first step needs: every changed one, or (`defer`, on a model whose
    /// bodies are not all rendered) only the worksheets and the pages just edited.
    fn bodies_for_start(
        &mut self,
        site: &mut Site,
        patched: Option<&[usize]>,
        all: bool,
        defer: bool,
        components: &Arc<Components>,
        run: &mut Run,
    ) {
        if defer && all {
            // Only the worksheets (which result pages exist depends on them) and the pages
            // just edited (a patched page still holds its old body) now; the open pages'
            // bodies come with `urgent::render`, the rest with `finish`.
            self.bodies_deferred = true;
            let problems = bodies::render_only(
                site,
                &mut self.bodies,
                (patched.unwrap_or_default(), &[]),
                &self.highlights,
                &**components,
            );
            run.diagnostics.extend(problems);
            run.timings.lap("markdown");
        } else {
            let scope = if all { None } else { patched };
            self.render_bodies(site, scope, components, run);
        }
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
            self.bodies = BodyCache::with_theme_ids(self.bodies.theme_ids().clone());
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
            self.bodies = BodyCache::with_theme_ids(self.bodies.theme_ids().clone());
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
        let problems =
            bodies::render_all(site, &mut self.bodies, scope, &self.highlights, components);
        run.diagnostics.extend(problems);
        if matches!(scope, Scope::All) {
            self.bodies_deferred = false;
        }
        self.count_bodies(site, run);
    }

    /// The run's counts of bodies rendered and code highlighted, once its bodies are.
    fn count_bodies(&mut self, site: &Site, run: &mut Run) {
        // Every rendered body gets a version newer than any before it.
        let versions = site.pages.iter().map(|p| p.body_version);
        let versions = versions.chain(site.sections.iter().map(|s| s.body_version));
        let newest = self.newest_body;
        let (fresh, max) = versions.fold((0, newest), |(n, max), v| {
            (n + usize::from(v > newest), max.max(v))
        });
        self.newest_body = max;
        run.stats.bodies_rendered = fresh;
        let (highlighted, found) = self.highlights_at_start;
        run.stats.code_blocks_highlighted = self.highlights.highlighted() - highlighted;
        run.stats.code_blocks_found = self.highlights.found() - found;
        run.timings.lap("markdown");
    }

    /// The components bodies are rendered with (none if the theme's files did not load:
    /// that error is reported by the run that found it).
    fn current_components(&self) -> Arc<Components> {
        match &self.components {
            Some((components, _)) => components.clone(),
            None => Arc::new(Components::compile(&ThemeFiles::default()).0),
        }
    }

    /// Renders what `needed` shows of the bodies the first step deferred: some pages' own
    /// (with their problems, so a broken link on an open page is reported now), or all of
    /// them (a list, which must not show a card without its summary).
    pub(super) fn ensure_bodies(
        &mut self,
        site: &mut Site,
        needed: &Bodies,
        run: &mut Run,
    ) -> Result<(), Halt> {
        if !self.bodies_deferred {
            return Ok(());
        }
        match needed {
            Bodies::None => Ok(()),
            Bodies::Some { pages, sections } => {
                let components = self.current_components();
                let problems = bodies::render_only(
                    site,
                    &mut self.bodies,
                    (pages, sections),
                    &self.highlights,
                    &*components,
                );
                run.diagnostics.extend(problems);
                run.halt_on_errors()
            }
            Bodies::All => match self.finish_bodies(site, run, &|| None::<Infallible>)? {
                Ok(()) => Ok(()),
                Err(never) => match never {},
            },
        }
    }

    /// Renders the bodies the first step deferred, `BODY_CHUNK` pages at a time so `stop`
    /// is honoured within one chunk's time (`Ok(Err(_))` then; what was rendered is kept),
    /// then checks every link and anchor across the site as a full run does.
    pub(super) fn finish_bodies<B>(
        &mut self,
        site: &mut Site,
        run: &mut Run,
        stop: &dyn Fn() -> Option<B>,
    ) -> Result<Result<(), B>, Halt> {
        if !self.bodies_deferred {
            return Ok(Ok(()));
        }
        let components = self.current_components();
        // Worksheets first: a page may show a worksheet's card, made from its rendered body.
        let mut missing: Vec<usize> = (0..site.pages.len())
            .filter(|&i| site.pages[i].body.is_none())
            .collect();
        missing.sort_by_key(|&i| site.pages[i].doc.front.worksheet.is_none());
        let recheck = bodies::recheck_now(site, &mut self.bodies);
        for chunk in missing.chunks(BODY_CHUNK) {
            if let Some(stopped) = stop() {
                return Ok(Err(stopped));
            }
            // Their problems are reported by the whole-site pass below.
            bodies::render_chunk(
                site,
                &mut self.bodies,
                chunk,
                &recheck,
                &self.highlights,
                &*components,
            );
        }
        self.render_bodies(site, None, &components, run);
        run.halt_on_errors()?;
        Ok(Ok(()))
    }
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
