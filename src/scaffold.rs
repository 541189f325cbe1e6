//! `sheaf init` and `sheaf new`: files an author starts from.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::model::slug::slugify;

const CONFIG: &str = r#"title: My essays
base_url: https://example.org/
description: Essays and worksheets.
language: en
author: { name: Your Name }
theme: default
feeds: { limit: 20, full_content: true }
highlight: { light: InspiredGitHub, dark: base16-ocean.dark }
"#;

const HOME: &str = "---\ntitle: My essays\ndescription: Essays and worksheets.\n---\nWelcome. The latest essays are listed below.\n";

const ESSAYS: &str = "---\ntitle: Essays\ndescription: Everything I have written, newest first.\nsort_by: date\nweight: 1\n---\n";

const GITIGNORE: &str = "/public\n";

/// Writes a starter site into `dir`. Refuses a folder with files in it unless `force`,
/// and never overwrites an existing file.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if not_empty && !force {
        return Err(Diagnostic::error(format!("`{}` is not empty", dir.display()))
            .help("pick an empty or new folder, or pass --force to add the starter files (existing files are kept)"));
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let first_essay = format!(
        "---\ntitle: Hello, world\ndate: {today}\ndescription: The first essay on this site.\ntags: [meta]\n---\n\
         This is the first essay. Edit it in `content/essays/hello-world.md`.\n\n<!-- more -->\n\n\
         ## Writing\n\nWrite Markdown: *emphasis*, [links](../_index.md), lists, tables, footnotes and code:\n\n\
         ```rust\nfn main() {{\n    println!(\"hello\");\n}}\n```\n\n> [!TIP]\n> Run `sheaf build` and open `public/index.html`.\n"
    );
    let files: Vec<(&str, String)> = vec![
        ("config.yaml", CONFIG.to_string()),
        ("content/_index.md", HOME.to_string()),
        ("content/essays/_index.md", ESSAYS.to_string()),
        ("content/essays/hello-world.md", first_essay),
        (".gitignore", GITIGNORE.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if path.exists() {
            continue;
        }
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Creates `content/essays/<slug>.md` with today's date and prints nothing itself.
pub fn new_essay(root: &Path, title: &str) -> Result<PathBuf, Diagnostic> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make a file name from the title `{title}`"))
                .help("use a title with some letters or digits"),
        );
    }
    if !root.join("content").is_dir() {
        return Err(
            Diagnostic::error(format!("`{}` has no content/ folder", root.display())).help(
                "run this in a site folder (or pass --root), or create one with `sheaf init`",
            ),
        );
    }
    let path = root
        .join("content")
        .join("essays")
        .join(format!("{slug}.md"));
    if path.exists() {
        return Err(
            Diagnostic::error(format!("`{}` already exists", path.display()))
                .at(Location::file_only(&path))
                .help("choose another title, or edit that file"),
        );
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let title_yaml = serde_json::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
    let text = format!(
        "---\ntitle: {title_yaml}\ndate: {today}\ndescription: \"\"\ntags: []\n---\n\nWrite here.\n"
    );
    write_new(&path, &text)?;
    Ok(path)
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
            .at(Location::file_only(path))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, text).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_refuses_non_empty_and_keeps_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.yaml"), "mine").unwrap();
        assert!(init(dir.path(), false).is_err());
        init(dir.path(), true).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("config.yaml")).unwrap(),
            "mine"
        );
        assert!(dir.path().join("content/essays/hello-world.md").exists());
    }

    #[test]
    fn new_essay_quotes_the_title() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let path = new_essay(dir.path(), "Why: \"quotes\" matter").unwrap();
        assert!(path.ends_with("content/essays/why-quotes-matter.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = crate::load::parse_document(std::sync::Arc::new(crate::load::Source {
            rel: "essays/why-quotes-matter.md".into(),
            shown: path.clone(),
            text,
        }));
        assert!(parsed.is_ok());
        assert!(new_essay(dir.path(), "Why: \"quotes\" matter").is_err());
    }
}
