//! `menu:` in `config.yaml`: the site's navigation, when the top-level sections are not
//! what it should list (an About page, an outside link, another order).
//!
//! ```yaml
//! menu:
//!   - page: essays/            # a section: its folder, or essays/_index.md
//!   - page: about.md           # a page; the title defaults to the page's own
//!   - { title: Tags, url: /tags/ }                      # a path on this site
//!   - { title: Source, url: https://github.com/o/r }    # anywhere else
//! ```
//!
//! Here the entries are checked on their own (one target each, a safe URL); whether a
//! `page:` exists is the model's question (`model::nav`), which points back here.

use serde::Deserialize;

use super::ConfigSource;
use super::csp::is_web_or_mail;
use crate::diagnostic::Diagnostic;
use crate::yaml::KeyPath;

/// One entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MenuEntry {
    title: Option<String>,
    page: Option<String>,
    url: Option<String>,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MenuItem {
    /// As written (smart punctuation applied); for a `page:` entry, `None` takes the page's.
    pub title: Option<String>,
    pub target: MenuTarget,
}

/// Where an entry leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MenuTarget {
    /// A content file or section folder under `content/`, as written (`about.md`, `essays/`).
    Page(String),
    /// A path on this site (`/tags/`), to be put under the base path.
    SitePath(String),
    /// An absolute `http`, `https` or `mailto` URL.
    External(String),
}

/// Checks each entry; `locate` points at a key path in `config.yaml`.
pub(super) fn check(
    entries: Vec<MenuEntry>,
    source: &ConfigSource,
    errors: &mut Vec<Diagnostic>,
) -> Vec<MenuItem> {
    let locate = |path: &KeyPath| source.value(path);
    let mut items = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let at = KeyPath::root().at("menu").index(i);
        let title = entry
            .title
            .map(|t| crate::smart::smarten(t.trim()).into_owned());
        if title.as_deref() == Some("") {
            errors.push(
                Diagnostic::error("this menu entry's title is empty")
                    .at(locate(&at.at("title")))
                    .help("write `title: Some words`, or leave `title` out on a `page:` entry to use the page's title"),
            );
            continue;
        }
        let target = match (entry.page, entry.url) {
            (Some(page), None) => MenuTarget::Page(page.trim().to_string()),
            (None, Some(url)) => {
                let url = url.trim().to_string();
                if url.starts_with('/') && !url.starts_with("//") && !url.contains(['\\', '?', '#'])
                {
                    MenuTarget::SitePath(url)
                } else if is_web_or_mail(&url) {
                    MenuTarget::External(url)
                } else {
                    errors.push(
                        Diagnostic::error(format!("menu url `{url}` is neither a path on this site nor a web address"))
                            .at(locate(&at.at("url")))
                            .help("write a path from the site's root such as `/tags/` (sheaf puts it under the base path), or an absolute URL such as https://example.org/; for a page of this site, `page: about.md` is checked at build time"),
                    );
                    continue;
                }
            }
            (page, url) => {
                let both = page.is_some() && url.is_some();
                errors.push(
                    Diagnostic::error(if both {
                        "this menu entry has both `page` and `url`"
                    } else {
                        "this menu entry has neither `page` nor `url`"
                    })
                    .at(source.node(&at))
                    .help("give each entry one target: `- page: about.md` (a page or section in content/) or `- { title: Tags, url: /tags/ }`"),
                );
                continue;
            }
        };
        if title.is_none() && !matches!(target, MenuTarget::Page(_)) {
            errors.push(
                Diagnostic::error("this menu entry has a `url` but no `title`")
                    .at(locate(&at.at("url")))
                    .help("add the words to show: `- { title: Tags, url: /tags/ }`"),
            );
            continue;
        }
        items.push(MenuItem { title, target });
    }
    items
}
