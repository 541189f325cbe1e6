//! The last phase of [`Session::start`](super::Session::start): render the jobs that make
//! the urgent files (the live preview's open pages) before anything else.

use std::collections::HashSet;

use super::{Halt, Rendering, Run, Sources};
use crate::build::run::{Pending, Urgent};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::context;
use crate::render::plan::{self, Bodies, Job, Planned};
use crate::render::reads::Current;
use crate::render::{self, Renderer, Theme};

/// What every job of a run renders with: the theme, preview mode and the fingerprint
/// of everything global a page may show.
pub(super) struct Settings<'a> {
    pub theme: &'a Theme,
    pub preview: bool,
    pub global: u64,
}

/// The urgent files rendered anew, and which files stay out of date until `finish`.
pub(super) fn render(
    site: &mut Site,
    sources: &mut Sources,
    rendering: &mut Rendering,
    settings: &Settings,
    urgent: &Urgent,
    run: &mut Run,
) -> Result<(Vec<OutputFile>, Pending), Halt> {
    let Settings {
        theme,
        preview,
        global,
    } = *settings;
    let open = match urgent {
        Urgent::All => return Ok((Vec::new(), Pending::default())),
        Urgent::Files(open) => open,
    };
    let (keyed, absent) = plan::jobs_for_files(site, open);
    // The deferred bodies the open pages show are rendered now (every one, for a feed).
    let needed = plan::bodies_needed(site, &keyed);
    sources.ensure_bodies(site, &needed, run)?;
    let site: &Site = site;
    let now = Current::new(site, global);
    let current: HashSet<String> = keyed
        .iter()
        .flat_map(|p| plan::output_paths(site, p.job))
        .collect();
    let stale: Vec<Planned> = keyed
        .into_iter()
        .filter(|p| !rendering.store.is_fresh(&now, p))
        .collect();
    // Every card is made (or checked) only when every body is there; a list that showed
    // which pages it needs makes just their cards, each as it shows it.
    let lists = stale.iter().any(|p| plan::shows_cards(p.job));
    let contexts = if lists && needed == Bodies::All {
        context::build(&now, preview, &mut rendering.cards)
    } else {
        context::build_globals(site, preview)
    };
    let renderer = Renderer::new(site, theme, contexts, preview)
        .with_card_cache(&rendering.social_cards)
        .with_image_cache(&rendering.images);
    let jobs: Vec<Job> = stale.iter().map(|p| p.job).collect();
    let rendered = run.take(render::run_jobs(&now, &renderer, &jobs))?;
    run.stats.jobs_rendered += stale.len();
    let mut files = Vec::new();
    for (p, rendered) in stale.iter().zip(rendered) {
        files.extend(rendered.files.iter().cloned());
        run.rendered_keys.insert(p.name);
        rendering.store.insert(p, rendered);
    }
    Ok((files, Pending { current, absent }))
}
