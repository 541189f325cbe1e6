//! `config.yaml`: site settings (DESIGN section 3).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location};
use crate::urls::Urls;
use crate::yaml;

/// The file as written by the author. Unknown keys are errors: a typo must not silently
/// do nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    author: Author,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    feeds: Feeds,
    #[serde(default)]
    highlight: Highlight,
    #[serde(default)]
    cards: Cards,
    /// `true` (the default policy), `false` (none) or a policy of the author's.
    #[serde(default)]
    csp: Option<yaml::Value>,
    #[serde(default)]
    extra: Option<yaml::Value>,
}

/// The Content Security Policy every page carries by default, as a `<meta http-equiv>`
/// (GitHub Pages cannot send headers). Scripts and styles only from the site itself: no
/// inline script, `javascript:` URL or injected `<script>` runs, whatever a page's content
/// holds. Images, media and embedded frames may come from any `https:` site, because
/// essays show pictures and videos hosted elsewhere. (`frame-ancestors`, `report-uri` and
/// `sandbox` are ignored in a meta tag: only a server header can set them.)
pub const DEFAULT_CSP: &str = "default-src 'self'; img-src 'self' https: data:; \
    media-src 'self' https:; frame-src https:; object-src 'none'; base-uri 'self'; \
    form-action 'self'";

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
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
    /// Whole articles in feeds (true) or summaries only.
    #[serde(default = "default_true")]
    pub full_content: bool,
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            limit: default_feed_limit(),
            full_content: true,
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
    /// Free-form, passed to templates as `config.extra`.
    pub extra: serde_json::Value,
    pub urls: Urls,
    /// The site's `content/` folder, to tell a page that failed to load (its file is
    /// there) from a link to a page that does not exist.
    pub content_root: std::path::PathBuf,
}

/// Where `base_url` came from, so an error names the right place.
pub enum BaseUrlOverride {
    None,
    /// `--base-url` or `SHEAF_BASE_URL`.
    CommandLine(String),
}

pub const CONFIG_FILE: &str = "config.yaml";

/// Reads and validates `config.yaml` under `root`.
pub fn load(root: &Path, base_url: &BaseUrlOverride) -> Result<Config, Vec<Diagnostic>> {
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
    // The value of `key` (inside the map `within`, when given), or the key itself when
    // the value is not on its line: the caret goes where the fix is typed.
    let locate_in = |within: Option<&str>, key: &str| {
        let from = within.and_then(|map| key_offset(text, 0, map)).unwrap_or(0);
        match key_offset(text, from, key) {
            Some(at) => match value_span(text, at + key.len() + 1) {
                Some((start, len)) => Location::at_offset(shown, text, start, len),
                None => Location::at_offset(shown, text, at, key.len()),
            },
            None => Location::at_offset(shown, text, 0, 1),
        }
    };
    let locate = |key: &str| locate_in(None, key);
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
                .at(locate_in(Some("feeds"), "limit"))
                .help("set `feeds: { limit: 20 }`"),
        );
    }
    // Templates put it into `href`: only a web or mail address, never `javascript:` or `data:`.
    let author_url = file.author.url.trim();
    if !author_url.is_empty() && !is_web_or_mail(author_url) {
        let at = text
            .find("author")
            .and_then(|a| text[a..].find("url:").map(|u| a + u))
            .unwrap_or(0);
        errors.push(
            Diagnostic::error(format!(
                "author.url `{author_url}` is not a web or mail address"
            ))
            .at(Location::at_offset(shown, text, at, 3))
            .help("use an absolute URL such as https://example.org/about/ (or mailto:)"),
        );
    }
    let csp = match csp_policy(file.csp.as_ref()) {
        Ok(csp) => csp,
        Err(why) => {
            errors.push(
                Diagnostic::error(format!("invalid csp: {why}"))
                    .at(locate("csp"))
                    .help(format!(
                        "write `csp: true` (the default policy: {DEFAULT_CSP}), `csp: false` \
                         (no policy), or a policy on one line in quotes"
                    )),
            );
            None
        }
    };
    let theme_names = crate::syntax_themes::theme_names();
    for (key, name) in [
        ("light", &file.highlight.light),
        ("dark", &file.highlight.dark),
    ] {
        if !theme_names.iter().any(|t| t == name) {
            let hint =
                crate::diagnostic::did_you_mean(name, theme_names.iter().map(String::as_str));
            let mut d = Diagnostic::error(format!("unknown highlight theme `{name}`"))
                .at(locate_in(Some("highlight"), key))
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
            title: file.title,
            description: file.description,
            language: file.language,
            author: file.author,
            theme: file.theme,
            feeds: file.feeds,
            highlight: file.highlight,
            cards: file.cards,
            csp,
            extra: file
                .extra
                .as_ref()
                .map_or_else(|| serde_json::json!({}), yaml::to_json),
            urls,
            content_root: PathBuf::from("content"),
        }),
        _ => Err(errors),
    }
}

/// The policy `csp:` asks for. A policy of the author's is one line of directives; it goes
/// into an attribute (escaped), so any text is safe there, but a line break or a directive
/// a meta tag ignores is surely a mistake.
/// Byte offset of `key` written as a YAML key (`key:` at the start of a line, after `- `,
/// `{` or `,`) at or after `from`: not inside another word (`light` in `highlight`).
fn key_offset(text: &str, from: usize, key: &str) -> Option<usize> {
    let pattern = format!("{key}:");
    let mut search = from.min(text.len());
    while let Some(found) = text.get(search..)?.find(&pattern) {
        let at = search + found;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = text[line_start..at].trim_end_matches([' ', '\t', '"', '\'']);
        let before = before.trim_start_matches([' ', '\t', '-']);
        if before.is_empty() || before.ends_with('{') || before.ends_with(',') {
            return Some(at);
        }
        search = at + pattern.len();
    }
    None
}

/// The value written after a key's `:` at `after`, up to `,`, `}`, a comment or the end
/// of the line (quotes included), as (offset, length); `None` when it is on later lines.
fn value_span(text: &str, after: usize) -> Option<(usize, usize)> {
    let rest = text.get(after..)?;
    let start = after + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let end = if line.starts_with(['"', '\'']) {
        line[1..].find(&line[..1]).map_or(line.len(), |i| i + 2)
    } else {
        line.find([',', '}', '#']).unwrap_or(line.len())
    };
    let value = line[..end].trim_end();
    (!value.is_empty()).then_some((start, value.len()))
}

fn csp_policy(value: Option<&yaml::Value>) -> Result<Option<String>, String> {
    let policy = match value {
        None => return Ok(Some(DEFAULT_CSP.to_string())),
        Some(yaml::Value::Bool(true)) => return Ok(Some(DEFAULT_CSP.to_string())),
        Some(yaml::Value::Bool(false)) => return Ok(None),
        Some(yaml::Value::String(policy)) => policy.trim(),
        Some(_) => return Err("expected true, false or a policy".into()),
    };
    if policy.is_empty() {
        return Err("the policy is empty (write `csp: false` to have none)".into());
    }
    if policy.contains(['\n', '\r']) {
        return Err("a policy is one line".into());
    }
    for directive in ["frame-ancestors", "report-uri", "sandbox"] {
        if policy
            .split(';')
            .any(|d| d.split_whitespace().next() == Some(directive))
        {
            return Err(format!(
                "`{directive}` is ignored in a <meta> policy (only a server header can set it)"
            ));
        }
    }
    Ok(Some(policy.to_string()))
}

/// An absolute `http(s)` or `mailto` URL.
fn is_web_or_mail(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "mailto"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
        parse(Path::new("config.yaml"), text, &BaseUrlOverride::None)
    }

    #[test]
    fn csp_is_on_by_default_and_can_be_replaced_or_turned_off() {
        let c = parse_str("title: T\nbase_url: https://x.org\n").unwrap();
        assert_eq!(c.csp.as_deref(), Some(DEFAULT_CSP));
        let c = parse_str("title: T\nbase_url: https://x.org\ncsp: false\n").unwrap();
        assert_eq!(c.csp, None);
        let c =
            parse_str("title: T\nbase_url: https://x.org\ncsp: \"default-src 'none'\"\n").unwrap();
        assert_eq!(c.csp.as_deref(), Some("default-src 'none'"));
        for bad in [
            "csp: 3",
            "csp: \"\"",
            "csp: \"default-src 'self'; frame-ancestors 'none'\"",
        ] {
            let errs =
                parse_str(&format!("title: T\nbase_url: https://x.org\n{bad}\n")).unwrap_err();
            assert!(
                errs[0].message.contains("invalid csp"),
                "{bad}: {}",
                errs[0]
            );
            assert_eq!(errs[0].location.as_ref().map(|l| l.line), Some(3), "{bad}");
        }
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse_str("title: T\nbase_url: https://x.org\n").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.feeds.limit, 20);
        assert_eq!(c.urls.base_path(), "/");
    }

    #[test]
    fn nested_unknown_key_gets_hint() {
        let errs = parse_str("title: T\nbase_url: https://x.org\nfeeds:\n  limt: 3\n").unwrap_err();
        let d = &errs[0];
        assert!(
            d.message.contains("unknown config key `limt` in `feeds`"),
            "{d}"
        );
        assert_eq!(d.label.as_deref(), Some("did you mean `limit`?"));
        assert_eq!(d.location.as_ref().unwrap().line, 4);
    }

    #[test]
    fn author_url_is_a_web_or_mail_address() {
        for ok in ["https://x.org/me", "http://x.org", "mailto:me@x.org"] {
            let text =
                format!("title: T\nbase_url: https://x.org\nauthor: {{ name: A, url: '{ok}' }}\n");
            assert!(parse_str(&text).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "/about/",
        ] {
            let text =
                format!("title: T\nbase_url: https://x.org\nauthor: {{ name: A, url: '{bad}' }}\n");
            let errs = parse_str(&text).unwrap_err();
            assert!(
                errs[0].message.contains("author.url"),
                "{bad}: {:?}",
                errs[0].message
            );
            let at = errs[0].location.as_ref().unwrap();
            assert_eq!((at.line, at.column), (3, 20), "{bad}");
        }
    }

    #[test]
    fn command_line_base_url_wins() {
        let c = parse(
            Path::new("config.yaml"),
            "title: T\nbase_url: https://x.org\n",
            &BaseUrlOverride::CommandLine("https://u.github.io/repo/".into()),
        )
        .unwrap();
        assert_eq!(c.urls.base_path(), "/repo/");
    }

    #[test]
    fn cards_policy_is_read_and_checked() {
        let c = parse_str("title: T\nbase_url: https://x.org\ncards: all\n").unwrap();
        assert_eq!(c.cards, Cards::All);
        assert_eq!(
            parse_str("title: T\nbase_url: https://x.org\n")
                .unwrap()
                .cards,
            Cards::Worksheets
        );
        let errs = parse_str("title: T\nbase_url: https://x.org\ncards: every\n").unwrap_err();
        let d = &errs[0];
        assert!(d.message.contains("every"), "{d}");
        assert_eq!(d.location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn bad_values_are_all_reported() {
        let errs = parse_str("title: ''\nbase_url: nope\nhighlight: { light: InspiredGithub }\n")
            .unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
    }
}
