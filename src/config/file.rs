//! What `config.yaml` may say, as serde reads it; [`super::parse`] validates it.

use serde::Deserialize;

use crate::yaml;

/// The file as written by the author. Unknown keys are errors: a typo must not silently
/// do nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    pub(super) title: String,
    pub(super) base_url: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default = "default_language")]
    pub(super) language: String,
    #[serde(default)]
    pub(super) author: Author,
    #[serde(default = "default_theme")]
    pub(super) theme: String,
    #[serde(default)]
    pub(super) feeds: Feeds,
    #[serde(default)]
    pub(super) highlight: Highlight,
    #[serde(default)]
    pub(super) cards: Cards,
    /// `true` (the default policy), `false` (none) or a policy of the author's.
    #[serde(default)]
    pub(super) csp: Option<yaml::Value>,
    #[serde(default)]
    pub(super) extra: Option<yaml::Value>,
    /// The navigation; absent: the top-level sections.
    #[serde(default)]
    pub(super) menu: Option<Vec<super::menu::MenuEntry>>,
    #[serde(default)]
    pub(super) search: Search,
    /// Entries per page of a section, tag or the home page's list (`0`: one page). Left
    /// empty (`paginate_by:`), the default, as in a section's `_index.md`.
    #[serde(default)]
    pub(super) paginate_by: Option<PageSize>,
    #[serde(default)]
    pub(super) related: Related,
    #[serde(default)]
    pub(super) links: Links,
    /// Old site paths that redirect to a path of this site (`/tags/1.0.5/: /tags/1-0-5/`).
    #[serde(default)]
    pub(super) redirects: std::collections::BTreeMap<String, String>,
}

/// `links:`: how the build treats links inside the site that lead nowhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// `error` (the default) fails the build; `warn` lists every broken link, anchor and
    /// picture, located, and builds anyway: a moved site can go live and be fixed later.
    #[serde(default)]
    pub internal: LinkLevel,
}

/// How bad a broken internal link is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkLevel {
    /// Fails the build.
    #[default]
    Error,
    /// Reported; the build goes on.
    Warn,
}

/// `paginate_by`: entries on each page of a list, `0` for all on one page. Also read from a
/// section's `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(pub usize);

/// Long enough to read down, short enough that a list page stays small at any site size.
impl Default for PageSize {
    fn default() -> Self {
        PageSize(20)
    }
}

impl<'de> Deserialize<'de> for PageSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        yaml::validated_str(deserializer, "a number of entries", |s| {
            s.parse().map(PageSize).map_err(|_| {
                format!(
                    "`{s}` is not a number of entries: write `paginate_by: 20` for twenty \
                     on each page of a list, or `paginate_by: 0` for all of them on one page"
                )
            })
        })
    }
}

/// `Deserialize` and `Serialize` for a setting written as a switch or as its map of keys
/// (`yaml::switch_or_map`): `$from_switch` makes the setting of `true` or `false`. The
/// setting's derives are `#[serde(remote = "Self")]`, which makes them inherent functions;
/// these impls call them, so the map keeps the derive's own errors.
macro_rules! switch_or_map {
    ($setting:ident, $expecting:literal, $from_switch:expr) => {
        impl<'de> Deserialize<'de> for $setting {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields($setting);
                impl<'de> Deserialize<'de> for Fields {
                    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        $setting::deserialize(d).map(Fields)
                    }
                }
                yaml::switch_or_map(deserializer, $expecting, |on| Fields(($from_switch)(on)))
                    .map(|f: Fields| f.0)
            }
        }

        impl serde::Serialize for $setting {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $setting::serialize(self, serializer)
            }
        }
    };
}

/// `search:`: the site's search box and index (`src/search/`), on unless turned off;
/// `search: false` is short for `search: { enabled: false }`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[serde(remote = "Self")]
pub struct Search {
    /// Index the site and show the search box (`false`: no index, no box, no
    /// `'wasm-unsafe-eval'` in the page's policy).
    #[serde(default = "default_true")]
    pub enabled: bool,
}

switch_or_map!(Search, "`true`, `false` or `{ enabled }`", |enabled| {
    Search { enabled }
});

impl Default for Search {
    fn default() -> Self {
        Search { enabled: true }
    }
}

/// `related:`: the "Related reading" list at the end of each page (`model::related`);
/// `related: false` is short for `related: { enabled: false }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[serde(remote = "Self")]
pub struct Related {
    /// Whether pages list related pages at all.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// How many related pages a page lists at most.
    #[serde(default = "default_related_limit", deserialize_with = "yaml::count")]
    pub limit: usize,
}

switch_or_map!(
    Related,
    "`true`, `false` or `{ enabled, limit }`",
    |enabled| Related {
        enabled,
        ..Related::default()
    }
);

/// The most related pages a page may list: a few good ones are the point.
pub(crate) const MAX_RELATED: usize = 10;

fn default_related_limit() -> usize {
    3
}

impl Default for Related {
    fn default() -> Self {
        Related {
            enabled: true,
            limit: default_related_limit(),
        }
    }
}

impl Related {
    /// The longest list a page gets (`0`: none).
    pub fn shown(&self) -> usize {
        if self.enabled { self.limit } else { 0 }
    }
}

/// Which pages get a generated social card (`render::social`). Worksheets and their result
/// pages are what people share, so they get one by default; a page's own `image:` always
/// wins over a generated card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cards {
    /// Worksheets and worksheet result pages.
    #[default]
    Worksheets,
    /// Every page: essays too.
    All,
    /// None: every page without `image:` shows the theme's default card.
    None,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// How many items `rss.xml`, `atom.xml` and tag feeds carry.
    #[serde(default = "default_feed_limit", deserialize_with = "yaml::count")]
    pub limit: usize,
    /// Whole articles in feeds (true) or summaries only.
    #[serde(default = "default_true")]
    pub full_content: bool,
    /// The site feed written again at an old site's feed paths (`/feed.xml: atom`): a
    /// static host cannot redirect a feed reader, so the old address must stay a feed.
    /// Keys are site paths, checked in `config::parse`; the output path has no leading `/`.
    #[serde(default)]
    pub copies: std::collections::BTreeMap<String, FeedFormat>,
}

/// Which of the site's feeds a copy repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// `rss.xml`.
    Rss,
    /// `atom.xml`.
    Atom,
    /// `feed.json`.
    Json,
}

/// How a `feeds.copies` path names every tag's folder: `tags/*/index.xml`.
pub(crate) const TAG_FEED_COPY: &str = "tags/*/";

impl Feeds {
    /// The copies of the site's own feeds: (output path, which feed).
    pub fn site_copies(&self) -> impl Iterator<Item = (&str, FeedFormat)> {
        self.copies
            .iter()
            .filter(|(path, _)| !path.starts_with(TAG_FEED_COPY))
            .map(|(path, format)| (path.as_str(), *format))
    }

    /// The file names each tag's feed is written again under, in the tag's folder.
    pub fn tag_copies(&self) -> impl Iterator<Item = &str> {
        self.copies
            .keys()
            .filter_map(|path| path.strip_prefix(TAG_FEED_COPY))
    }
}

impl FeedFormat {
    /// The file of the site feed this format is.
    pub fn original(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            limit: default_feed_limit(),
            full_content: true,
            copies: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    #[serde(default = "default_light")]
    pub light: String,
    #[serde(default = "default_dark")]
    pub dark: String,
}

impl Default for Highlight {
    fn default() -> Self {
        Highlight {
            light: default_light(),
            dark: default_dark(),
        }
    }
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_feed_limit() -> usize {
    20
}
fn default_true() -> bool {
    true
}
fn default_light() -> String {
    "InspiredGitHub".into()
}
fn default_dark() -> String {
    "base16-ocean.dark".into()
}
