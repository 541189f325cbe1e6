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
        // A page's address is not the site's: `…/repo/index.html` made every link
        // `/repo/index.html/essays/…`.
        let last = url.path().rsplit('/').next().unwrap_or("");
        if last.ends_with(".html") || last.ends_with(".htm") {
            let folder = &url.as_str()[..url.as_str().len() - last.len()];
            return Err(format!(
                "`{base_url}` is the address of a page, not of the site's folder: write `{folder}`"
            ));
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
    /// `href="https://host/repo/x"`), for feeds, whose readers have no page URL to resolve
    /// against: in `href`, `src` and `poster`, and each candidate of a `srcset` (a
    /// `<picture>`'s WebP sources, which a browser takes before the `<img>`).
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
            let value_start = at + 2;
            if name.ends_with("srcset") {
                let end = html[value_start..]
                    .find('"')
                    .map_or(html.len(), |i| value_start + i);
                for url in srcset_urls(&html[value_start..end]) {
                    out.push_str(&html[copied..value_start + url]);
                    out.push_str(&self.origin);
                    copied = value_start + url;
                }
                continue;
            }
            if !(name.ends_with("href") || name.ends_with("src") || name.ends_with("poster")) {
                continue;
            }
            if is_root_relative(&html[value_start..]) {
                out.push_str(&html[copied..value_start]);
                out.push_str(&self.origin);
                copied = value_start;
            }
        }
        out.push_str(&html[copied..]);
        out
    }
}

/// Whether a URL is root-relative (`/x`), not protocol-relative (`//host/x`).
fn is_root_relative(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

/// Where each root-relative URL starts in a `srcset` value: candidates are separated by
/// commas, each a URL (no spaces) and optional descriptors (`/a.webp 480w, /b.webp 960w`).
fn srcset_urls(srcset: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    while at < srcset.len() {
        let rest = &srcset[at..];
        let skip = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
                .len();
        at += skip;
        let candidate = &srcset[at..];
        if candidate.is_empty() {
            break;
        }
        if is_root_relative(candidate) {
            starts.push(at);
        }
        // Past the URL, then past its descriptors to the next comma.
        let url_len = candidate
            .find(char::is_whitespace)
            .unwrap_or(candidate.len());
        let url = &candidate[..url_len];
        at += match url.strip_suffix(',') {
            Some(_) => url_len,
            None => candidate[url_len..]
                .find(',')
                .map_or(candidate.len(), |i| url_len + i + 1),
        };
    }
    starts
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

    /// Regression (found by a review): a base URL ending in `index.html` was taken as a
    /// folder, and every link began `/repo/index.html/`.
    #[test]
    fn a_base_url_of_a_page_is_refused_with_its_folder() {
        let err = Urls::parse("https://x.github.io/repo/index.html").unwrap_err();
        assert!(err.contains("write `https://x.github.io/repo/`"), "{err}");
        assert!(Urls::parse("https://x.org/a.htm").is_err());
        // A folder whose name holds `.html` elsewhere is still a folder.
        assert_eq!(
            Urls::parse("https://x.org/html.docs/").unwrap().base_path(),
            "/html.docs/"
        );
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

    /// Regression (found by a review): a `<picture>`'s WebP `<source srcset>` stayed
    /// root-relative in feeds, and browsers take it before the `<img>`'s absolute `src`.
    #[test]
    fn every_candidate_of_a_srcset_is_absolutized() {
        let urls = Urls::parse("https://h.io/repo/").unwrap();
        let html = r#"<picture><source type="image/webp" srcset="/repo/i.w480.webp 480w, /repo/i.w960.webp 960w"><img src="/repo/i.png" srcset="/repo/a.png 1x,/repo/b.png 2x , https://x.org/c.png 3x, //cdn/d.png 4x"></picture>"#;
        assert_eq!(
            urls.absolutize_html(html),
            r#"<picture><source type="image/webp" srcset="https://h.io/repo/i.w480.webp 480w, https://h.io/repo/i.w960.webp 960w"><img src="https://h.io/repo/i.png" srcset="https://h.io/repo/a.png 1x,https://h.io/repo/b.png 2x , https://x.org/c.png 3x, //cdn/d.png 4x"></picture>"#
        );
        // A data URL's comma is inside its candidate; an empty or unclosed value is safe.
        assert_eq!(
            urls.absolutize_html(r#"<img srcset="data:image/png;base64,AAA 1x, /b.png 2x"><img srcset=""><img srcset="/c.png"#),
            r#"<img srcset="data:image/png;base64,AAA 1x, https://h.io/b.png 2x"><img srcset=""><img srcset="https://h.io/c.png"#
        );
        assert_eq!(
            urls.absolutize_html(r#"<video poster="/p.jpg" src="/v.mp4">"#),
            r#"<video poster="https://h.io/p.jpg" src="https://h.io/v.mp4">"#
        );
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
