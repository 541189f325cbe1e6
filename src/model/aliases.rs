//! `aliases:`: old URLs that redirect to a page.

use std::collections::HashMap;

use super::{Page, Section};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::{self, PageDoc};
use crate::yaml;

/// Validates `aliases:` and returns (site path, page) pairs. An alias is a site path like
/// `/old/url/` or `/old.html`; it may not climb out of the site or shadow a real page.
pub(super) fn collect_aliases(
    pages: &[Page],
    sections: &[Section],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, usize)> {
    let mut aliases = Vec::new();
    if pages.iter().all(|p| p.doc.front.aliases.is_empty()) {
        return aliases;
    }
    let mut taken: HashMap<String, String> = sections
        .iter()
        .map(|s| (s.path.clone(), s.title.clone()))
        .collect();
    taken.extend(
        pages
            .iter()
            .map(|p| (p.path.clone(), p.doc.front.title.0.clone())),
    );
    for (i, page) in pages.iter().enumerate() {
        for alias in &page.doc.front.aliases {
            let location = || locate_alias(&page.doc, alias);
            let Some(path) = normalize_alias(alias) else {
                diagnostics.push(
                    Diagnostic::error(format!("invalid alias `{alias}`"))
                        .at(location())
                        .help("write an old site path such as `/old/url/` or `/old-page.html`: letters, digits, `-`, `_`, `.`, no `..`"),
                );
                continue;
            };
            if let Some(owner) = taken.insert(path.clone(), page.doc.front.title.0.clone()) {
                diagnostics.push(
                    Diagnostic::error(format!("alias `{alias}` is already the URL of `{owner}`"))
                        .at(location())
                        .help("remove the alias or pick another path"),
                );
                continue;
            }
            aliases.push((path, i));
        }
    }
    aliases
}

/// Where `alias` (as written, or as normalised: `/old/url/`) is in a page's front matter:
/// its item of the `aliases:` list (found by `yaml::Locator`, however the list is written),
/// else the key.
pub(crate) fn locate_alias(doc: &PageDoc, alias: &str) -> Location {
    let core = |a: &str| a.trim().trim_matches('/').to_string();
    let Some(index) = doc
        .front
        .aliases
        .iter()
        .position(|a| a == alias || core(a) == core(alias))
    else {
        return load::locate_key(&doc.source, &doc.yaml, "aliases");
    };
    let front = &doc.source.text[doc.yaml.clone()];
    let path = yaml::KeyPath::root().at("aliases").index(index);
    match yaml::Locator::new(front).scalar(&path) {
        Some(span) if !span.is_empty() => Location::at_offset(
            &doc.source.shown,
            &doc.source.text,
            doc.yaml.start + span.start,
            span.len(),
        ),
        _ => load::locate_key(&doc.source, &doc.yaml, "aliases"),
    }
}

fn normalize_alias(alias: &str) -> Option<String> {
    let trimmed = alias.trim().trim_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    let ok_segment = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    };
    if !trimmed.split('/').all(ok_segment) {
        return None;
    }
    Some(if trimmed.ends_with(".html") {
        format!("/{trimmed}")
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_confined() {
        assert_eq!(normalize_alias("/old/url"), Some("/old/url/".into()));
        assert_eq!(normalize_alias("old.html"), Some("/old.html".into()));
        assert_eq!(normalize_alias("/../etc/"), None);
        assert_eq!(normalize_alias("/"), None);
        assert_eq!(normalize_alias("/a b/"), None);
    }

    fn page(front: &str) -> std::sync::Arc<PageDoc> {
        let text = format!("---\ntitle: T\n{front}---\nBody.\n");
        let source = std::sync::Arc::new(load::Source::new(
            "essays/a.md".into(),
            "content/essays/a.md".into(),
            text,
        ));
        match load::parse_document(source) {
            Ok(load::Document::Page(doc)) => doc,
            _ => panic!("not a page: {front}"),
        }
    }

    /// Every spelling of the list finds the item itself: block, flow, quoted, a comment or
    /// an earlier value naming the same path, and the normalised form of the alias.
    #[test]
    fn an_alias_is_located_at_its_item_however_the_list_is_written() {
        for (front, alias, line, column) in [
            ("aliases:\n  - /old/\n  - /older/\n", "/older/", 5, 5),
            ("aliases: [/old/, /older/]\n", "/older/", 3, 18),
            ("aliases: ['/old/', \"/older/\"]\n", "/older/", 3, 20),
            (
                "description: /older/ # aliases\naliases:\n  - /older\n",
                "/older/",
                5,
                5,
            ),
            ("aliases:\n- older\n", "/older/", 4, 3),
        ] {
            let doc = page(front);
            let at = locate_alias(&doc, alias);
            assert_eq!((at.line, at.column), (line, column), "{front:?}");
        }
    }
}
