//! The integration tests, one binary: each module was once its own test target, and each
//! linked the whole crate and its dependencies again (nineteen links on every change).
//! Shared harness in `support/`: the `sheaf` runner, the fixture [`support::Site`] builder,
//! HTML read with html5gum, and the running server for the serve tests. Fixtures are in
//! `tests/fixtures/`, insta snapshots in `tests/it/snapshots/`.

mod support;

mod adversarial;
mod assets;
mod bad_input;
mod build;
mod cards;
mod components;
mod escaping;
mod faults;
mod feeds;
mod highlight_cache;
mod import;
mod import_hostile;
mod incremental;
mod layers;
mod linkcheck;
mod list_parts;
mod messages;
mod moved_sites;
mod navigation;
mod overwrites;
mod pagination;
mod preview_packing;
mod publish;
mod related;
mod reuse;
mod search;
mod series;
mod serve;
mod serve_hardening;
mod serve_host;
mod serve_search;
mod steer;
mod theme;
mod workbook;
