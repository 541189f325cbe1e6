//! The one function that turns a site path into a URL.
//!
//! Every link the build writes (pages, assets, feeds, sitemap, aliases, canonical and Open
//! Graph URLs, worksheet links) goes through [`Urls`], so a base path such as `/repo/` on a
//! GitHub Pages project site is honoured everywhere or nowhere.

use url::Url;

/// Joins site paths to the configured base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// Scheme and host, without a trailing slash: `https://user.github.io`.
    origin: String,
    /// The base path, always starting and ending with `/`: `/repo/` or `/`.
    base_path: String,
}

impl Urls {
    /// Parses a `base_url`. It must be an absolute `http(s)` URL without query or fragment;
    /// a missing trailing slash is added (users write both forms).
    pub fn parse(base_url: &str) -> Result<Self, String> {
        let url =
            Url::parse(base_url.trim()).map_err(|e| format!("`{base_url}` is not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{base_url}` must start with https:// or http://"));
        }
        if url.host_str().is_none() {
            return Err(format!("`{base_url}` has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("`{base_url}` must not have a query or fragment"));
        }
        // Empty segments dropped: `https://h//guide/` would otherwise give links starting
        // `//guide/`, which a browser reads as the host `guide`.
        let mut base_path = String::from("/");
        for segment in url.path().split('/').filter(|s| !s.is_empty()) {
            base_path.push_str(segment);
            base_path.push('/');
        }
        let origin = url.origin().ascii_serialization();
        Ok(Urls { origin, base_path })
    }

    /// The base path (`/` or `/repo/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The base URL, always ending with `/`.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin, self.base_path)
    }

    /// `/essays/foo/` → `/repo/essays/foo/`. Accepts paths with or without a leading `/`;
    /// a fragment or query is kept.
    pub fn path(&self, site_path: &str) -> String {
        let relative = site_path.trim_start_matches('/');
        format!("{}{}", self.base_path, relative)
    }

    /// `/essays/foo/` → `https://user.github.io/repo/essays/foo/`.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.path(site_path))
    }

    /// Makes root-relative links inside rendered HTML absolute (`href="/repo/x"` →
    /// `href="https://host/repo/x"`), for feeds, whose readers have no page URL to resolve against.
    ///
    /// One pass over `="` occurrences: searching for `href="` and `src="` separately from
    /// every link scanned the rest of the page for the one that was absent, which made a
    /// feed of a long essay with many links quadratic (a 2 MB essay took minutes;
    /// tests/it/adversarial.rs builds a 50 MB one).
    pub fn absolutize_html(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len() + 64);
        let mut copied = 0;
        for (at, _) in html.match_indices("=\"") {
            let name = &html[..at];
            if !(name.ends_with("href") || name.ends_with("src")) {
                continue;
            }
            let value_start = at + 2;
            let value = &html[value_start..];
            if value.starts_with('/') && !value.starts_with("//") {
                out.push_str(&html[copied..value_start]);
                out.push_str(&self.origin);
                copied = value_start;
            }
        }
        out.push_str(&html[copied..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_slashes_in_the_base_path_are_one() {
        for base in [
            "https://h.org//guide/",
            "https://h.org/guide//",
            "https://h.org//guide//docs",
        ] {
            let urls = Urls::parse(base).unwrap();
            assert!(
                !urls.base_path().contains("//"),
                "{base}: {}",
                urls.base_path()
            );
            assert!(urls.path("/essays/a/").starts_with("/guide/"), "{base}");
        }
        assert_eq!(Urls::parse("https://h.org").unwrap().base_path(), "/");
        assert_eq!(Urls::parse("https://h.org//").unwrap().base_path(), "/");
    }

    #[test]
    fn project_site_paths_carry_the_base() {
        let urls = Urls::parse("https://user.github.io/repo").unwrap();
        assert_eq!(urls.base_path(), "/repo/");
        assert_eq!(urls.path("/essays/foo/"), "/repo/essays/foo/");
        assert_eq!(urls.path("rss.xml"), "/repo/rss.xml");
        assert_eq!(urls.path("/"), "/repo/");
        assert_eq!(urls.absolute("/tags/"), "https://user.github.io/repo/tags/");
    }

    #[test]
    fn root_domain_has_no_prefix() {
        let urls = Urls::parse("https://example.org/").unwrap();
        assert_eq!(urls.path("/essays/foo/#x"), "/essays/foo/#x");
        assert_eq!(urls.absolute("/"), "https://example.org/");
    }

    #[test]
    fn rejects_non_http_and_relative() {
        assert!(Urls::parse("/guide/").is_err());
        assert!(Urls::parse("ftp://x.org/").is_err());
        assert!(Urls::parse("https://x.org/?a=1").is_err());
    }

    #[test]
    fn absolutizes_root_relative_links_only() {
        let urls = Urls::parse("https://h.io/g/").unwrap();
        let html = r##"<a href="/g/a/">a</a><img src="/g/i.png"><a href="https://x.org/">x</a><a href="//cdn/x">c</a><a href="#f">f</a>"##;
        assert_eq!(
            urls.absolutize_html(html),
            r##"<a href="https://h.io/g/a/">a</a><img src="https://h.io/g/i.png"><a href="https://x.org/">x</a><a href="//cdn/x">c</a><a href="#f">f</a>"##
        );
        // Other attributes ending in `="/` are left alone; `data-src` counts as `src`, as
        // before; a value at the very end does not overrun.
        assert_eq!(
            urls.absolutize_html(r#"<p title="/x" data-src="/y"><a href="/z"#),
            r#"<p title="/x" data-src="https://h.io/y"><a href="https://h.io/z"#
        );
        assert_eq!(urls.absolutize_html("href=\""), "href=\"");
    }

    /// Regression (tests/it/adversarial.rs): many links and no `src="` once took time
    /// quadratic in the page's length.
    #[test]
    fn absolutizing_is_linear() {
        let urls = Urls::parse("https://h.io/").unwrap();
        let html = "<a href=\"/a/\">a</a> ".repeat(200_000);
        let started = std::time::Instant::now();
        let out = urls.absolutize_html(&html);
        assert_eq!(out.matches("https://h.io/a/").count(), 200_000);
        // Linear: well under a second even unoptimised; the quadratic version took minutes.
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
