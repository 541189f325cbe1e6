//! One Jekyll file at a time: a collection's document or static file, a post, a draft or
//! a page, with `defaults:` filled in under its front matter.

use super::super::front_matter;
use super::super::model::{Asset, Note, Site};
use super::super::walk::{self, File};
use super::collections::Collection;
use super::defaults::with_defaults;
use super::{Settings, front};
use crate::yaml::Mapping;

/// A file of a collection other than posts: a document when it has front matter, else a
/// static file the collection copies (only when it is output).
pub(super) fn read_document(file: &File, c: &Collection, settings: &Settings, site: &mut Site) {
    if !c.output {
        return;
    }
    let Some(map) = read_front(file, site) else {
        if !starts_with_front(file) {
            let inside = &file.rel[c.dir.len() + 1..];
            site.assets.push(Asset {
                from: file.path.clone(),
                to: format!("static/{}/{inside}", c.name),
            });
        }
        return;
    };
    let (map, body, body_line) = map;
    let inside = &file.rel[c.dir.len() + 1..];
    let doc = super::super::model::Doc::new(
        file.shown.clone(),
        format!("{}/{inside}", c.name),
        body,
        body_line,
    );
    let map = with_defaults(map, &file.rel, &c.name, settings);
    front::document(doc, map, c, inside, settings, site);
}

fn starts_with_front(file: &File) -> bool {
    std::fs::File::open(&file.path)
        .and_then(|mut f| {
            use std::io::Read;
            let mut head = [0u8; 4];
            let n = f.read(&mut head)?;
            Ok(head[..n].starts_with(b"---"))
        })
        .unwrap_or(false)
}

/// A Markdown file with front matter: (front matter, body, body line). `None` (with a
/// skipped note where it matters) for anything else.
fn read_front(file: &File, site: &mut Site) -> Option<(Mapping, String, usize)> {
    if !starts_with_front(file) {
        return None;
    }
    if !walk::is_markdown(&file.rel) {
        site.skipped.push(Note {
            at: file.rel.clone(),
            message: "an HTML page with front matter (Liquid and a layout): not imported; rebuild it as a Markdown page or a template".into(),
        });
        return None;
    }
    let text = walk::read_text(file, site)?;
    front_matter::read(&text, &file.shown, site)
}

pub(super) fn read_file(
    file: &File,
    is_post: bool,
    is_draft: bool,
    settings: &Settings,
    site: &mut Site,
) {
    let has_front = starts_with_front(file);
    let markdown = walk::is_markdown(&file.rel);
    if !(is_post || is_draft || has_front) {
        site.assets.push(Asset {
            from: file.path.clone(),
            to: format!("static/{}", file.rel),
        });
        return;
    }
    let html = file.rel.ends_with(".html") || file.rel.ends_with(".htm");
    if !(markdown || html && file.rel == "index.html") {
        site.skipped.push(Note {
            at: file.rel.clone(),
            message: if html {
                "an HTML page with front matter (Liquid and a layout): not imported; rebuild it as a Markdown page or a template".into()
            } else {
                "a generated file with front matter (feed, sitemap, CSS): sheaf makes its own; not imported".into()
            },
        });
        return;
    }
    let Some(text) = walk::read_text(file, site) else {
        return;
    };
    let Some((map, body, body_line)) = front_matter::read(&text, &file.shown, site) else {
        return;
    };
    // A Jekyll `index.html` is Liquid: only its front matter becomes the home page.
    let body = if html { String::new() } else { body };
    let doc = super::super::model::Doc::new(file.shown.clone(), file.rel.clone(), body, body_line);
    let kind = if is_post || is_draft {
        "posts"
    } else {
        "pages"
    };
    let map = with_defaults(map, &file.rel, kind, settings);
    if is_post || is_draft {
        front::post(doc, map, is_draft, settings, site);
    } else {
        front::page(doc, map, settings, site);
    }
}
