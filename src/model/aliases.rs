//! `aliases:`: old URLs that redirect to a page.

use std::collections::HashMap;

use super::{Page, Section, Target};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::{self, PageDoc, SectionDoc};
use crate::yaml;

/// Validates `aliases:` of pages and sections and returns (site path, target) pairs. An
/// alias is a site path like `/old/url/` or `/old.html`; it may not climb out of the site
/// or shadow a real page.
pub(super) fn collect_aliases(
    pages: &[Page],
    sections: &[Section],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Target)> {
    let mut aliases = Vec::new();
    let any = pages.iter().any(|p| !p.doc.front.aliases.is_empty())
        || sections
            .iter()
            .any(|s| s.doc.as_ref().is_some_and(|d| !d.front.aliases.is_empty()));
    if !any {
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
    let owners = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (Target::Page(i), Owner::of_page(&p.doc)))
        .chain(sections.iter().enumerate().filter_map(|(s, section)| {
            let doc = section.doc.as_ref()?;
            Some((Target::Section(s), Owner::of_section(doc, &section.title)))
        }));
    for (target, owner) in owners {
        for alias in owner.aliases {
            let location = || owner.locate(alias);
            let Some(path) = normalize_alias(alias) else {
                diagnostics.push(
                    Diagnostic::error(format!("invalid alias `{alias}`"))
                        .at(location())
                        .help("write an old site path such as `/old/url/` or `/old-page.html`: letters, digits, `-`, `_`, `.`, no `..`"),
                );
                continue;
            };
            if let Some(other) = taken.insert(path.clone(), owner.title.to_string()) {
                diagnostics.push(
                    Diagnostic::error(format!("alias `{alias}` is already the URL of `{other}`"))
                        .at(location())
                        .help("remove the alias or pick another path"),
                );
                continue;
            }
            aliases.push((path, target));
        }
    }
    aliases
}

/// A document with `aliases:`: a page or a section's `_index.md`.
struct Owner<'a> {
    aliases: &'a [String],
    title: &'a str,
    source: &'a load::Source,
    yaml: &'a std::ops::Range<usize>,
}

impl<'a> Owner<'a> {
    fn of_page(doc: &'a PageDoc) -> Owner<'a> {
        Owner {
            aliases: &doc.front.aliases,
            title: &doc.front.title.0,
            source: &doc.source,
            yaml: &doc.yaml,
        }
    }

    fn of_section(doc: &'a SectionDoc, title: &'a str) -> Owner<'a> {
        Owner {
            aliases: &doc.front.aliases,
            title,
            source: &doc.source,
            yaml: &doc.yaml,
        }
    }

    /// Where `alias` (as written, or as normalised: `/old/url/`) is in the front matter:
    /// its item of the `aliases:` list (found by `yaml::Locator`, however the list is
    /// written), else the key.
    fn locate(&self, alias: &str) -> Location {
        let core = |a: &str| a.trim().trim_matches('/').to_string();
        let Some(index) = self
            .aliases
            .iter()
            .position(|a| a == alias || core(a) == core(alias))
        else {
            return load::locate_key(self.source, self.yaml, "aliases");
        };
        let text = self.source.text();
        let front = &text[self.yaml.clone()];
        let path = yaml::KeyPath::root().at("aliases").index(index);
        match yaml::Locator::new(front).scalar(&path) {
            Some(span) if !span.is_empty() => Location::at_offset(
                &self.source.shown,
                &text,
                self.yaml.start + span.start,
                span.len(),
            ),
            _ => load::locate_key(self.source, self.yaml, "aliases"),
        }
    }
}

/// Where `alias` is in the front matter of the page or section `target` redirects to.
pub(crate) fn locate_alias(
    pages: &[Page],
    sections: &[Section],
    target: Target,
    alias: &str,
) -> Location {
    match target {
        Target::Page(p) => Owner::of_page(&pages[p].doc).locate(alias),
        Target::Section(s) => match &sections[s].doc {
            Some(doc) => Owner::of_section(doc, &sections[s].title).locate(alias),
            None => Location::file_only("content/_index.md"),
        },
    }
}

/// `redirects:` in `config.yaml` must lead somewhere the site has: a redirect to nothing
/// is the broken link it was meant to mend.
pub(super) fn check_redirects(site: &super::Site, diagnostics: &mut Vec<Diagnostic>) {
    for redirect in &site.config.redirects {
        if let crate::markdown::SitePath::Found(_) = site.site_path(&redirect.to) {
            continue;
        }
        let key = yaml::KeyPath::root().at("redirects").at(&redirect.written);
        diagnostics.push(
            Diagnostic::error(format!(
                "the redirect `{}` leads to `{}`, which is not in the site",
                redirect.from, redirect.to
            ))
            .at(site.config.locate_value(&key))
            .internal_link()
            .help("point it at a page, a list or a file the site has, as a path from its root"),
        );
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
            let at = Owner::of_page(&doc).locate(alias);
            assert_eq!((at.line, at.column), (line, column), "{front:?}");
        }
    }
}
