//! Rewriting links to `.md` files into page URLs, and recording internal links for the
//! pipeline's anchor checks.
//!
//! A broken internal link is an error at its destination's exact place in the file: for an
//! inline link inside the `(...)`, for a reference link on its `[label]: ...` definition line.

use std::ops::Range;

use pulldown_cmark::{CowStr, LinkType};

use crate::diagnostic::{Diagnostic, Location};

use super::InternalLink;
use super::links::{Dest, classify, raw_html_urls, resolve, unsafe_scheme};
use super::transform::Pass;

impl<'a> Pass<'_, 'a> {
    /// The destination to write for a link; records it when it is internal.
    /// A relative link to a content file (an image, a PDF) points at where the build copies
    /// it; anything the resolver does not know is left as written.
    pub(super) fn file_link(&self, dest: CowStr<'a>, path: &str) -> CowStr<'a> {
        let Some(url) =
            resolve(self.input.page_dir, path).and_then(|t| self.input.links.file_url(&t))
        else {
            return dest;
        };
        let suffix = dest.find(['?', '#']).map_or("", |i| &dest[i..]);
        CowStr::from(format!("{url}{suffix}"))
    }

    pub(super) fn link(
        &mut self,
        dest: CowStr<'a>,
        link_type: LinkType,
        label: &str,
        range: Range<usize>,
    ) -> CowStr<'a> {
        if let Some(scheme) = unsafe_scheme(&dest, false) {
            let location = self.dest_location(&dest, link_type, label, range.clone());
            self.diagnostics.push(script_url_warning(scheme, location));
            return dest;
        }
        let (path, fragment) = match classify(&dest) {
            Dest::External => return dest,
            Dest::File(path) => return self.file_link(dest, &path),
            Dest::SamePage(fragment) => {
                let location = self.dest_location(&dest, link_type, label, range);
                self.links.push(InternalLink {
                    target: None,
                    fragment: Some(fragment),
                    location,
                });
                return dest;
            }
            Dest::Page { path, fragment } => (path, fragment),
        };
        let (written, raw_fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment).filter(|f| !f.is_empty())),
            None => (dest.as_ref(), None),
        };
        let Some(target) = resolve(self.input.page_dir, &path) else {
            let location = self.dest_location(written, link_type, label, range);
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "link to `{written}` points outside the content folder"
                ))
                .at(location)
                .label("too many `../`")
                .help("relative links start from the folder of this file; remove a `../`"),
            );
            return dest;
        };
        let Some(url) = self.input.links.page_url(&target) else {
            let location = self.dest_location(written, link_type, label, range);
            let d = match self.input.links.why_missing(&target) {
                // Its own errors are reported; say once (identical notes are merged)
                // that links to it were not checked, instead of a broken link per page.
                super::Missing::HasErrors => Diagnostic::note(format!(
                    "links to `content/{target}` were not checked: that page has errors"
                )),
                super::Missing::Draft => {
                    Diagnostic::error(format!("broken link to `{written}`: the page is a draft"))
                        .at(location)
                        .label(format!("`{target}` has `draft: true`"))
                        .help("drafts are left out unless you build with `--drafts`; publish it or remove the link")
                }
                super::Missing::Future(date) => Diagnostic::error(format!(
                    "broken link to `{written}`: the page is dated in the future"
                ))
                .at(location)
                .label(format!("`{target}` is dated {date}"))
                .help("pages dated in the future are left out unless you build with `--future`"),
                super::Missing::NoSuchPage { did_you_mean } => {
                    let d = Diagnostic::error(format!("broken link to `{written}`: no such page"))
                        .at(location);
                    match did_you_mean {
                        Some(hint) => d
                            .label(format!("did you mean `{hint}`?"))
                            .help(format!("`{written}` resolves to `{target}` in the content folder; the path is relative to the folder of this file")),
                        None => d
                            .label(format!("resolves to `{target}` in the content folder"))
                            .help("the path is relative to the folder of this file; check the spelling"),
                    }
                }
            };
            self.diagnostics.push(d);
            return dest;
        };
        // The whole destination: an anchor error is about the fragment as much as the page.
        let location = self.dest_location(&dest, link_type, label, range);
        self.links.push(InternalLink {
            target: Some(target),
            fragment,
            location,
        });
        let mut rewritten = url;
        if let Some(fragment) = raw_fragment {
            rewritten.push('#');
            rewritten.push_str(fragment);
        }
        CowStr::from(rewritten)
    }

    /// Warns about an image whose source runs script (`javascript:`, an SVG `data:` URL).
    pub(super) fn check_image_source(
        &mut self,
        dest: &str,
        link_type: LinkType,
        label: &str,
        range: Range<usize>,
    ) {
        if let Some(scheme) = unsafe_scheme(dest, true) {
            let location = self.dest_location(dest, link_type, label, range);
            self.diagnostics.push(script_url_warning(scheme, location));
        }
    }

    /// Warns about `href`/`src` values with a script URL in raw HTML at `range`.
    pub(super) fn check_raw_html_urls(&mut self, html: &str, range: Range<usize>) {
        for (at, url) in raw_html_urls(html) {
            if let Some(scheme) = unsafe_scheme(url, false) {
                let location = self.locator.at(range.start + at, url.len());
                self.diagnostics.push(script_url_warning(scheme, location));
            }
        }
    }

    /// Where `written` (the destination as the author wrote it) is in the file; the whole link
    /// (or definition) when it cannot be found verbatim, e.g. because of escapes.
    fn dest_location(
        &mut self,
        written: &str,
        link_type: LinkType,
        label: &str,
        range: Range<usize>,
    ) -> Location {
        let by_reference = matches!(
            link_type,
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
        );
        let span = match self.refdefs.get(label) {
            Some(definition) if by_reference => definition.span.clone(),
            _ => range,
        };
        let text = self.body.get(span.clone()).unwrap_or("");
        // Skip the link text (or label) so a destination repeated in it is not found first.
        let marker = if by_reference { "]:" } else { "](" };
        let skip = text.rfind(marker).map_or(0, |i| i + 2);
        match text[skip..].find(written).filter(|_| !written.is_empty()) {
            Some(at) => self.locator.at(span.start + skip + at, written.len()),
            None => self.locator.at(span.start, span.len()),
        }
    }
}

/// A link or source that runs script when followed, or a `data:` document. A warning, not
/// an error: the default Content Security Policy already stops it from running, but a
/// reader who clicks it gets nothing, and without the policy it would run on the site.
fn script_url_warning(scheme: &str, location: Location) -> Diagnostic {
    Diagnostic::warning(format!("a `{scheme}:` URL in a link"))
        .at(location)
        .label("runs script or opens a document made of the link itself")
        .help(
            "link to a page or an https:// address instead; the site's Content Security Policy \
             blocks it, and without one it would run with the site's rights",
        )
}
