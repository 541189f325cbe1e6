//! sheaf: a static site generator for essay and guide sites with interactive worksheets.
//!
//! The pipeline runs load → model → render → write; see ARCHITECTURE.md for the map and the
//! layers (`tests/it/layers.rs` holds them).
//!
//! The library exists for the `sheaf` binary. Its public face is small on purpose: the
//! command line ([`run`]), the build session that `sheaf build` and `sheaf serve` drive and
//! that the tests and benches drive too, its diagnostics, and in [`testing`] the few inner
//! functions the benches and fuzz targets call directly. Every other item is `pub(crate)` at
//! most, so the compiler reports code that nothing uses (`unreachable_pub` and `missing_docs`
//! below keep it that way).

#![warn(unreachable_pub, missing_docs)]

pub mod allocator;
mod atomic;
mod build;
mod cards;
mod cli;
mod components;
mod config;
mod diagnostic;
mod fingerprint;
mod images;
mod import;
mod linkcheck;
mod load;
mod markdown;
mod model;
mod output;
mod packed;
mod render;
mod scaffold;
mod search;
mod serve;
mod slug;
mod smart;
mod syntax_themes;
mod theme;
mod urls;
mod worksheet;
mod write;
mod yaml;

#[cfg(test)]
mod properties;

pub use build::{BuildOptions, Changes, Ready, Rebuilt, RunStats, Session, Started, Steer, Urgent};
pub use cli::run;
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use load::MAX_FILE_BYTES;
pub use output::{Contents, OutputFile};
pub use packed::Packed;

/// Inner functions for sheaf's own benches, fuzz targets and integration tests; not a
/// stable interface.
#[doc(hidden)]
pub mod testing {
    pub use crate::build::render as render_site;
    pub use crate::cards::{Card, CardCache, render_all, render_png};
    pub use crate::config::{BaseUrlOverride, parse as parse_config};
    pub use crate::images::{
        Format, IMAGE_PIPELINE_VERSION, ImageCache, ImageError, ImageInfo, ImageSettings,
        MAX_ALLOC, MAX_PIXELS, OutputFormat, PROBE_BYTES, ProbeError, Rendered, SOCIAL_SIZE,
        SocialPlan, VariantSpec, probe, probe_file, render, render_set, social_plan, variant_plan,
    };
    pub use crate::linkcheck::{MAX_REDIRECTS, Outcome, Settings, Url, check, check_urls};
    pub use crate::load::{Document, PageDoc, Source, front_matter, parse_document};
    pub use crate::markdown::{CodeTheme, HighlightCache, Highlighting, Html, LinkResolver};
    pub use crate::model::Site;
    pub use crate::model::bodies::{Renderers, render_page_doc};
    pub use crate::model::related::all_anew as related_lists;
    pub use crate::render::html_path;
    pub use crate::urls::Urls;
}
