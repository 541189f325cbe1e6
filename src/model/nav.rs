//! The site's navigation: `menu:` from `config.yaml` resolved against the content, or the
//! top-level sections when there is no menu.

use crate::config::{Config, MenuTarget};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::markdown::Missing;
use crate::yaml::KeyPath;

use super::{Site, Target};

/// One navigation entry, as templates get it (`nav[].title`, `nav[].url`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NavLink {
    pub title: String,
    pub href: NavHref,
}

/// Where a navigation entry leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NavHref {
    /// A site path (`/essays/`), put under the base path when rendered.
    Site(String),
    /// An outside address, as written.
    External(String),
}

/// The navigation of `site`. A `page:` that is no published page or section is an error at
/// its line in `config.yaml` (with the nearest name), except a draft or a page dated in the
/// future, which the menu leaves out with a warning until it is published.
pub(super) fn resolve(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<NavLink> {
    let config = &site.config;
    let Some(menu) = &config.menu else {
        return site.sections[0]
            .subsections
            .iter()
            .map(|&s| NavLink {
                title: site.sections[s].title.clone(),
                href: NavHref::Site(site.sections[s].path.clone()),
            })
            .collect();
    };
    let mut nav = Vec::with_capacity(menu.len());
    for (i, item) in menu.iter().enumerate() {
        let (title, href) = match &item.target {
            MenuTarget::SitePath(path) => (String::new(), NavHref::Site(path.clone())),
            MenuTarget::External(url) => (String::new(), NavHref::External(url.clone())),
            MenuTarget::Page(written) => match find(site, written) {
                Ok(Target::Page(p)) => (
                    site.pages[p].doc.front.title.0.clone(),
                    NavHref::Site(site.pages[p].path.clone()),
                ),
                Ok(Target::Section(s)) => (
                    site.sections[s].title.clone(),
                    NavHref::Site(site.sections[s].path.clone()),
                ),
                Err(problem) => {
                    diagnostics.push(problem.diagnostic(written, config, i));
                    continue;
                }
            },
        };
        nav.push(NavLink {
            title: item.title.clone().unwrap_or(title),
            href,
        });
    }
    nav
}

/// Why a `page:` entry leads nowhere.
enum Problem {
    LeftOut(Missing),
    Unknown(Option<String>),
}

impl Problem {
    fn diagnostic(self, written: &str, config: &Config, i: usize) -> Diagnostic {
        let at = config.locate_value(&KeyPath::root().at("menu").index(i).at("page"));
        match self {
            Problem::LeftOut(why) => {
                let why = match why {
                    Missing::Future(date) => format!("is dated {date}, in the future"),
                    _ => "is a draft".to_string(),
                };
                Diagnostic::warning(format!(
                    "menu page `{written}` {why}: the menu leaves it out"
                ))
                .at(at)
                .help("it appears in the menu once it is published")
            }
            Problem::Unknown(near) => {
                let mut d = Diagnostic::error(format!("menu page `{written}` is no page or section in content/"))
                    .at(at)
                    .help("write the path of a file under content/ (`about.md`, `essays/first.md`) or a section's folder (`essays/`)");
                if let Some(near) = near {
                    d = d.label(format!("did you mean `{near}`?"));
                }
                d
            }
        }
    }
}

/// The page or section a `page:` entry names: a content path (`about.md`,
/// `essays/_index.md`) or a section folder (`essays`, `essays/`, `/` for the home page).
fn find(site: &Site, written: &str) -> Result<Target, Problem> {
    let rel = written.trim_start_matches("./").trim_start_matches('/');
    if rel.ends_with(".md") {
        if let Some(&target) = site.by_source.get(rel) {
            return Ok(target);
        }
        if let Some(why) = site.left_out.get(rel) {
            return Err(Problem::LeftOut(why.clone()));
        }
    }
    let folder = rel
        .strip_suffix("_index.md")
        .unwrap_or(rel)
        .trim_end_matches('/');
    if let Some(s) = site.sections.iter().position(|s| s.rel_dir == folder) {
        return Ok(Target::Section(s));
    }
    let names = site.by_source.keys().map(String::as_str).chain(
        site.sections
            .iter()
            .map(|s| s.rel_dir.as_str())
            .filter(|d| !d.is_empty()),
    );
    Err(Problem::Unknown(
        did_you_mean(rel, names).map(str::to_string),
    ))
}
