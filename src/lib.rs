//! sheaf: a static site generator for essay and guide sites with interactive worksheets.
//!
//! The pipeline runs load → model → render → write; see ARCHITECTURE.md for the map.

pub mod build;
pub mod cards;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod fingerprint;
pub mod linkcheck;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod theme;
pub mod worksheet;
pub mod write;
pub mod yaml;

pub mod atomic;
pub mod output;
pub mod slug;
pub mod syntax_themes;
pub mod urls;
