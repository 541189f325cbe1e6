//! The generated social cards of one page: its own and its results' (`render::social`).

use super::Kind;
use crate::diagnostic::{Diagnostic, Location};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::reads::{Front, SiteView};
use crate::render::{Renderer, social};

pub(super) struct Cards;

/// The cards of page `p`, from the site (planning).
fn cards_of(site: &Site, p: usize) -> Vec<crate::cards::Card> {
    social::cards_of(&site.config, &Front::of(site, p))
}

impl Kind for Cards {
    fn name(&self) -> &'static str {
        "cards"
    }

    fn instances(&self, site: &Site) -> Vec<usize> {
        (0..site.pages.len())
            .filter(|&p| !cards_of(site, p).is_empty())
            .collect()
    }

    fn outputs(&self, site: &Site, p: usize) -> Vec<String> {
        cards_of(site, p)
            .iter()
            .map(|card| social::card_path(card).trim_start_matches('/').to_string())
            .collect()
    }

    fn render(
        &self,
        renderer: &Renderer,
        view: &SiteView,
        p: usize,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let front = view.page_front(p);
        let cards = social::cards_of(view.config(), &front);
        social::render(renderer.card_cache, &cards)
            .map_err(|d| d.at(Location::file_only(front.shown)))
    }

    fn describe(&self, _site: &Site, _p: usize) -> String {
        "a social card".into()
    }

    fn locate(&self, site: &Site, p: usize) -> Location {
        Location::file_only(&site.pages[p].doc.source.shown)
    }
}
