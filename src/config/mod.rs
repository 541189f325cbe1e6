//! `config.yaml`: site settings (DESIGN section 3).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::urls::Urls;
use crate::yaml::{self, KeyPath};

mod csp;
mod file;
mod menu;
mod source;
#[cfg(test)]
mod tests;

#[cfg(test)]
use csp::{DEFAULT_CSP, SEARCH_SCRIPT_SRC, default_policy};
use csp::{csp_policy, is_web_or_mail};
use file::ConfigFile;
pub(crate) use file::{
    Author, Cards, FeedFormat, Feeds, Highlight, LinkLevel, Links, PageSize, Related, Search,
    TAG_FEED_COPY,
};
pub(crate) use menu::{MenuItem, MenuTarget};
pub(crate) use source::ConfigSource;

/// Validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: String,
    pub author: Author,
    pub theme: String,
    pub feeds: Feeds,
    pub highlight: Highlight,
    pub cards: Cards,
    /// The page's Content Security Policy (`None`: `csp: false`).
    pub csp: Option<String>,
    /// `menu:`, checked on its own; `None` lists the top-level sections.
    pub menu: Option<Vec<MenuItem>>,
    /// `search:`: whether the site is indexed and pages show a search box.
    pub search: Search,
    /// Entries per list page unless a section says otherwise (`0`: every entry on one page).
    pub paginate_by: usize,
    /// `related:`: how many related pages each page lists.
    pub related: Related,
    /// `links:`: whether a broken internal link fails the build.
    pub links: Links,
    /// `redirects:`, each old site path and the site path it sends readers to.
    pub redirects: Vec<Redirect>,
    /// Free-form, passed to templates as `config.extra`.
    pub extra: serde_json::Value,
    pub urls: Urls,
    /// The site's `content/` folder, to tell a page that failed to load (its file is
    /// there) from a link to a page that does not exist.
    pub content_root: std::path::PathBuf,
    /// The text this was parsed from, to locate errors about its values found later.
    pub source: ConfigSource,
}

impl Config {
    /// Where the top-level `key` of `config.yaml` is (the file's start when it is not
    /// written), for a problem with its value found by a later stage (`theme`).
    pub fn locate_key(&self, key: &str) -> Location {
        self.source.key(&KeyPath::root().at(key))
    }

    /// Where the value at `path` is written (its key when the value is on another line), for
    /// a problem found by a later stage (a `menu` entry's page that does not exist).
    pub(crate) fn locate_value(&self, path: &KeyPath) -> Location {
        self.source.value(path)
    }
}

/// The output path (no leading `/`) of a `feeds.copies` entry, or what is wrong with it: a
/// file path inside the site, confined like aliases, that is not one of the feeds themselves;
/// or `tags/*/<file>`, each tag's feed (RSS) again under that name in its folder.
fn feed_copy_path(path: &str, format: FeedFormat) -> Result<String, &'static str> {
    let trimmed = path.trim().trim_start_matches('/');
    if let Some(name) = trimmed.strip_prefix(TAG_FEED_COPY) {
        let confined = !name.is_empty()
            && name != "rss.xml"
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c));
        return match (confined, format) {
            (false, _) => Err("names no file of a tag's folder: write `/tags/*/index.xml`"),
            (true, FeedFormat::Rss) => Ok(trimmed.to_string()),
            (true, _) => Err("repeats a tag's feed, which is RSS: write `rss`"),
        };
    }
    if !is_confined(trimmed) {
        return Err("is not a file path in the site: use letters, digits, `-`, `_`, `.`, no `..`");
    }
    if ["rss.xml", "atom.xml", "feed.json"].contains(&trimmed) {
        return Err("is already one of the site's feeds");
    }
    Ok(trimmed.to_string())
}

/// Whether `path` (no leading or trailing `/`) is a path inside the site: non-empty
/// segments of letters, digits, `-`, `_`, `.` and `~`, none of them `.` or `..`.
fn is_confined(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
        })
}

/// One entry of `redirects:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The key as written, to locate problems found later (a target that is not there).
    pub written: String,
    /// The old site path: `/old/url/` or `/old.html`.
    pub from: String,
    /// The site path it sends readers to.
    pub to: String,
}

/// A site path of `redirects:` (`/old/`, `old`, `/old.html`) normalised like an alias, or
/// `None` when it could leave the site; `/` only as a target.
fn redirect_path(path: &str, target: bool) -> Option<String> {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        return target.then(|| "/".to_string());
    }
    let confined = is_confined(trimmed);
    // A redirect is a page: an old `.xml` feed cannot be one (`feeds.copies` keeps feeds).
    if !target && [".xml", ".json"].iter().any(|e| trimmed.ends_with(e)) {
        return None;
    }
    let file = [".html", ".xml", ".json"]
        .iter()
        .any(|e| trimmed.ends_with(e));
    confined.then(|| {
        if file {
            format!("/{trimmed}")
        } else {
            format!("/{trimmed}/")
        }
    })
}

/// Where `base_url` came from, so an error names the right place.
pub enum BaseUrlOverride {
    /// Keep `base_url` from `config.yaml`.
    None,
    /// `--base-url` or `SHEAF_BASE_URL`.
    CommandLine(String),
}

pub(crate) const CONFIG_FILE: &str = "config.yaml";

/// Reads and validates `config.yaml` under `root`.
pub(crate) fn load(root: &Path, base_url: &BaseUrlOverride) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let shown = PathBuf::from(CONFIG_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error("config.yaml is not valid UTF-8")
                        .at(Location::file_only(&shown))
                        .help(format!("save the file as UTF-8 ({e})")),
                ]);
            }
        },
        Err(e) => {
            return Err(vec![
                Diagnostic::error(format!("cannot read config.yaml: {e}"))
                    .at(Location::file_only(&shown))
                    .help("run `sheaf init` to create a site, or pass --root DIR pointing at one"),
            ]);
        }
    };
    parse(&shown, &text, base_url).map(|mut config| {
        config.content_root = root.join("content");
        config
    })
}

/// Parses config text (exposed for tests and the dev server's config reload).
pub fn parse(
    shown: &Path,
    text: &str,
    base_url: &BaseUrlOverride,
) -> Result<Config, Vec<Diagnostic>> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let file: ConfigFile = yaml::from_str_all(text_no_bom).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.to_diagnostic(shown, text, bom, "config"))
            .collect::<Vec<_>>()
    })?;
    let mut errors = Vec::new();
    let source = ConfigSource::new(shown, text);
    let locate_in = |map: &str, key: &str| source.value(&KeyPath::root().at(map).at(key));
    let locate = |key: &str| source.value(&KeyPath::root().at(key));
    let urls = match base_url {
        BaseUrlOverride::CommandLine(url) => Urls::parse(url).map_err(|e| {
            Diagnostic::error(format!("invalid --base-url / SHEAF_BASE_URL: {e}"))
                .help("pass an absolute URL such as https://user.github.io/repo/")
        }),
        BaseUrlOverride::None => Urls::parse(&file.base_url).map_err(|e| {
            Diagnostic::error(format!("invalid base_url: {e}"))
                .at(locate("base_url"))
                .help("use an absolute URL such as https://user.github.io/repo/ or https://example.org/")
        }),
    };
    if file.title.trim().is_empty() {
        errors.push(
            Diagnostic::error("the site title is empty")
                .at(locate("title"))
                .help("give the site a title: `title: My essays`"),
        );
    }
    if file.feeds.limit == 0 {
        errors.push(
            Diagnostic::error("feeds.limit must be at least 1")
                .at(locate_in("feeds", "limit"))
                .help("set `feeds: { limit: 20 }`"),
        );
    }
    let mut feeds = file.feeds.clone();
    feeds.copies = BTreeMap::new();
    for (path, format) in &file.feeds.copies {
        match feed_copy_path(path, *format) {
            Ok(output) => {
                feeds.copies.insert(output, *format);
            }
            Err(problem) => errors.push(
                Diagnostic::error(format!("feeds.copies: `{path}` {problem}"))
                    .at(source.key(&KeyPath::root().at("feeds").at("copies").at(path)))
                    .help(
                        "list an old feed's site path and the feed it repeats: \
                         `copies: { /feed.xml: atom, /index.xml: rss }`",
                    ),
            ),
        }
    }
    let mut redirects = Vec::new();
    for (from, to) in &file.redirects {
        match (redirect_path(from, false), redirect_path(to, true)) {
            (Some(old), Some(new)) => redirects.push(Redirect {
                written: from.clone(),
                from: old,
                to: new,
            }),
            (old, _) => errors.push(
                Diagnostic::error(match old {
                    None => format!("redirects: `{from}` is not an old site path"),
                    Some(_) => format!("redirects: `{to}` is not a site path"),
                })
                .at(source.key(&KeyPath::root().at("redirects").at(from)))
                .help(
                    "map an old path to a path of this site: `redirects: { /old/: /new/ }` \
                     (letters, digits, `-`, `_`, `.`, `~`; no `..`)",
                ),
            ),
        }
    }
    if file.related.enabled && !(1..=file::MAX_RELATED).contains(&file.related.limit) {
        errors.push(
            Diagnostic::error(format!(
                "related.limit must be between 1 and {}",
                file::MAX_RELATED
            ))
            .at(locate_in("related", "limit"))
            .help("set `related: { limit: 3 }`, or `related: { enabled: false }` for no lists"),
        );
    }
    // Templates put it into `href`: only a web or mail address, never `javascript:` or `data:`.
    let author_url = file.author.url.trim();
    if !author_url.is_empty() && !is_web_or_mail(author_url) {
        errors.push(
            Diagnostic::error(format!(
                "author.url `{author_url}` is not a web or mail address"
            ))
            .at(source.key(&KeyPath::root().at("author").at("url")))
            .help("use an absolute URL such as https://example.org/about/ (or mailto:)"),
        );
    }
    let csp = match csp_policy(file.csp.as_ref(), file.search.enabled) {
        Ok(csp) => csp,
        Err(why) => {
            errors.push(
                Diagnostic::error(format!("invalid csp: {}", why.why))
                    .at(locate("csp"))
                    .help(why.help()),
            );
            None
        }
    };
    let menu = file
        .menu
        .map(|entries| menu::check(entries, &source, &mut errors));
    let theme_names = crate::syntax_themes::THEME_NAMES;
    for (key, name) in [
        ("light", &file.highlight.light),
        ("dark", &file.highlight.dark),
    ] {
        if !theme_names.iter().any(|t| t == name) {
            let hint = crate::diagnostic::did_you_mean(name, theme_names.iter().copied());
            let mut d = Diagnostic::error(format!("unknown highlight theme `{name}`"))
                .at(locate_in("highlight", key))
                .help(format!("available themes: {}", theme_names.join(", ")));
            if let Some(hint) = hint {
                d = d.label(format!("did you mean `{hint}`?"));
            }
            errors.push(d);
        }
    }
    let urls = match urls {
        Ok(urls) => Some(urls),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    match urls {
        Some(urls) if errors.is_empty() => Ok(Config {
            title: crate::smart::smarten(&file.title).into_owned(),
            description: crate::smart::smarten(&file.description).into_owned(),
            language: file.language,
            author: file.author,
            theme: file.theme,
            feeds,
            highlight: file.highlight,
            cards: file.cards,
            csp,
            menu,
            search: file.search,
            paginate_by: file.paginate_by.unwrap_or_default().0,
            related: file.related,
            links: file.links,
            redirects,
            extra: file
                .extra
                .as_ref()
                .map_or_else(|| serde_json::json!({}), yaml::to_json),
            urls,
            content_root: PathBuf::from("content"),
            source,
        }),
        _ => Err(errors),
    }
}
