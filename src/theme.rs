//! Where templates and theme assets come from.
//!
//! The default theme is compiled into the binary so `sheaf init` and `sheaf build` work in
//! any folder. A site may carry a theme on disk under `themes/<name>/` (which wins, so the
//! guide's own theme edits show up without recompiling), and a site `templates/` folder
//! overrides single templates of either.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::{Diagnostic, Location};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A text or binary file of the theme, with the path shown in errors.
#[derive(Debug, Clone)]
pub(crate) struct ThemeFile {
    /// Path inside `templates/` or `static/`, `/`-separated.
    pub name: String,
    /// Where it came from, as shown to users (`themes/default/templates/page.html`, or
    /// `<built-in>/templates/page.html` for the embedded theme).
    pub shown: PathBuf,
    pub bytes: Vec<u8>,
}

/// All templates (theme first, site overrides replacing by name) and static files.
#[derive(Debug, Clone, Default)]
pub(crate) struct ThemeFiles {
    pub templates: Vec<ThemeFile>,
    pub statics: Vec<ThemeFile>,
}

impl ThemeFiles {
    /// The ids the templates write as plain text (`<main id="main">`), which a page's links
    /// may point at like its headings' (`#main`, `#related-title`). Ids made by template
    /// code (`id="{{ … }}"`) are not known until a page is rendered, so they are not here.
    /// Every template's ids count for every page: over-accepting an id a page's template
    /// lacks is the lesser fault than refusing a site whose theme writes it.
    pub(crate) fn page_ids(&self) -> std::collections::BTreeSet<String> {
        let mut ids = std::collections::BTreeSet::new();
        for file in &self.templates {
            let text = String::from_utf8_lossy(&file.bytes);
            for (at, _) in text.match_indices(" id=\"") {
                let value = &text[at + 5..];
                let Some(end) = value.find('"') else {
                    continue;
                };
                let id = &value[..end];
                let literal = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if literal {
                    ids.insert(id.to_string());
                }
            }
        }
        ids
    }
}

/// Collects the theme named in the config plus the site's template overrides.
pub(crate) fn load(
    root: &Path,
    theme: &str,
    config_text_location: Location,
) -> Result<ThemeFiles, Diagnostic> {
    if !is_folder_name(theme) {
        return Err(Diagnostic::error(format!(
            "theme `{theme}` is not a folder name"
        ))
        .at(config_text_location)
        .help("name a folder of themes/ (letters, digits, `-`, `_`, `.`), or use `theme: default`; a theme outside the site is never read"));
    }
    let on_disk = root.join("themes").join(theme);
    crate::load::source_folder(root, &on_disk)?;
    crate::load::source_folder(root, &root.join("templates"))?;
    let mut files = if on_disk.is_dir() {
        ThemeFiles {
            templates: read_tree(root, &on_disk.join("templates"))?,
            statics: read_tree(root, &on_disk.join("static"))?,
        }
    } else if theme == "default" {
        embedded()
    } else {
        return Err(Diagnostic::error(format!("theme `{theme}` not found"))
            .at(config_text_location)
            .help(format!(
                "put the theme in themes/{theme}/, or use `theme: default`"
            )));
    };
    for file in read_tree(root, &root.join("templates"))? {
        files.templates.retain(|t| t.name != file.name);
        files.templates.push(file);
    }
    Ok(files)
}

/// A plain folder name: no separators, no `..`, not absolute. `theme: /usr/share/x` or
/// `theme: ../../x` would read (and publish the static files of) a folder outside the site.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The built-in default theme.
pub(crate) fn embedded() -> ThemeFiles {
    let collect = |sub: &str| {
        let mut out = Vec::new();
        if let Some(dir) = DEFAULT_THEME.get_dir(sub) {
            collect_embedded(dir, sub, &mut out);
        }
        out.sort_by(|a: &ThemeFile, b| a.name.cmp(&b.name));
        out
    };
    ThemeFiles {
        templates: collect("templates"),
        statics: collect("static"),
    }
}

fn collect_embedded(dir: &Dir<'static>, prefix: &str, out: &mut Vec<ThemeFile>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let name = path
            .strip_prefix(&format!("{prefix}/"))
            .unwrap_or(&path)
            .to_string();
        out.push(ThemeFile {
            shown: PathBuf::from("<built-in theme>").join(&path),
            name,
            bytes: file.contents().to_vec(),
        });
    }
    for sub in dir.dirs() {
        collect_embedded(sub, prefix, out);
    }
}

/// Every file under `dir` (a theme's `templates/` or `static/`, or the site's `templates/`).
/// Links are followed only inside `dir`; a name that is not UTF-8 is an error.
fn read_tree(root: &Path, dir: &Path) -> Result<Vec<ThemeFile>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            Diagnostic::error(format!("cannot read theme files: {e}"))
                .at(Location::file_only(dir.strip_prefix(root).unwrap_or(dir)))
        })?;
        if entry.depth() > 0
            && entry.path_is_symlink()
            && !crate::load::resolves_inside(entry.path(), &canonical)
        {
            let folder = dir.strip_prefix(root).unwrap_or(dir).display().to_string();
            return Err(crate::load::link_out_of(root, entry.path(), &folder));
        }
        if !entry.file_type().is_file() || crate::load::is_ignored(entry.file_name()) {
            continue;
        }
        let name = crate::load::relative_name(root, dir, entry.path())?;
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(format!("cannot read theme file: {e}"))
                .at(Location::file_only(&shown))
        })?;
        out.push(ThemeFile { name, shown, bytes });
    }
    Ok(out)
}
