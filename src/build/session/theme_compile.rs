//! The theme a run renders with: its files as the config names them, the key that says
//! whether the last compiled theme still holds, and compiling it apart from the site (so
//! that it runs beside the bodies).

use super::CompiledTheme;
use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::render::Theme;
use crate::theme::{self, ThemeFiles};

/// The theme's files, as the config names them.
pub(super) fn load_theme_files(
    root: &std::path::Path,
    config: &Config,
) -> Result<ThemeFiles, Diagnostic> {
    let theme_location = config.locate_key("theme");
    theme::load(root, &config.theme, theme_location)
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

/// What compiling the theme needs, taken apart from the site so that it can be compiled
/// while the site's bodies render.
pub(super) struct ThemeToCompile<'f> {
    /// The theme of the last run, kept if its key is this one's.
    pub(super) kept: Option<CompiledTheme>,
    /// The theme's files, or why they did not load (which halts the run).
    pub(super) files: Result<&'f ThemeFiles, &'f Diagnostic>,
    pub(super) config_fingerprint: u64,
    pub(super) highlight: config::Highlight,
    pub(super) urls: crate::urls::Urls,
}

impl ThemeToCompile<'_> {
    /// The compiled theme, and whether it was compiled now rather than kept.
    pub(super) fn compile(self) -> Result<(CompiledTheme, bool), Vec<Diagnostic>> {
        let files = self.files.map_err(|problem| vec![problem.clone()])?;
        let key = theme_key(files, self.config_fingerprint);
        if let Some(kept) = self.kept.filter(|kept| kept.key == key) {
            return Ok((kept, false));
        }
        let theme = Theme::compile(&self.highlight, &self.urls, files)?;
        Ok((CompiledTheme { key, theme }, true))
    }
}
