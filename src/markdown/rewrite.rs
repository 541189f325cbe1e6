//! Rewriting every local destination (Markdown links and images, `href`/`src`/`srcset` in
//! raw HTML) into its URL under the base path, and recording links to pages for the
//! pipeline's anchor checks.
//!
//! A broken local link is an error at its destination's exact place in the file: for an
//! inline link inside the `(...)`, for a reference link on its `[label]: ...` definition
//! line, in raw HTML at the attribute's value.

use std::ops::Range;

use pulldown_cmark::{CowStr, LinkType};

use crate::diagnostic::{Diagnostic, Location};

use super::InternalLink;
use super::broken::Pointer;
use super::links::{Dest, classify, raw_html_attrs, unsafe_scheme};
use super::local::{Place, split};
use super::transform::Pass;

/// Where a destination was written, to locate what is wrong with it.
enum Written<'l> {
    /// In a Markdown link or image (inline, or on a reference definition's line).
    Markdown {
        link_type: LinkType,
        label: &'l str,
        range: Range<usize>,
    },
    /// In raw HTML, at this offset of the body.
    Raw { offset: usize },
}

impl<'a> Pass<'_, 'a> {
    /// Where this page is, for resolving what its links name.
    pub(super) fn place(&self) -> Place<'_> {
        Place {
            page_dir: self.input.page_dir,
            page_path: self.input.page_path,
            links: self.input.links,
        }
    }

    /// The destination to write for a Markdown link or image (see [`Pass::resolve_dest`]).
    pub(super) fn local_dest(
        &mut self,
        dest: CowStr<'a>,
        pointer: Pointer,
        link_type: LinkType,
        label: &str,
        range: Range<usize>,
    ) -> CowStr<'a> {
        // `<someone@example.org>`: pulldown-cmark writes `mailto:` in front itself.
        if link_type == LinkType::Email {
            return dest;
        }
        let written = Written::Markdown {
            link_type,
            label,
            range,
        };
        match self.resolve_dest(&dest, pointer, &written) {
            Some(url) => CowStr::from(url),
            None => dest,
        }
    }

    /// Raw HTML with the local `href`, `src`, `srcset` and `poster` values resolved like
    /// Markdown links (`None`: nothing to change); `range` is where it is in the body.
    /// A script URL in any URL attribute is warned about.
    pub(super) fn raw_html_dests(&mut self, html: &str, range: Range<usize>) -> Option<String> {
        let mut out = String::new();
        let mut copied = 0;
        for attr in raw_html_attrs(html) {
            let pointer = match attr.name {
                "href" => Pointer::Link,
                "src" | "srcset" | "poster" => Pointer::Image,
                _ => {
                    if let Some(scheme) = unsafe_scheme(attr.value, false) {
                        let location = self.locator.at(range.start + attr.at, attr.value.len());
                        self.diagnostics.push(script_url_warning(scheme, location));
                    }
                    continue;
                }
            };
            for (at, url) in attr.urls() {
                let written = Written::Raw {
                    offset: range.start + attr.at + at,
                };
                if let Some(rewritten) = self.resolve_dest(url, pointer, &written) {
                    let start = attr.at + at;
                    out.push_str(&html[copied..start]);
                    // Our URLs are percent-encoded; the suffix is as the author wrote it.
                    out.push_str(&rewritten);
                    copied = start + url.len();
                }
            }
        }
        if copied == 0 {
            return None;
        }
        out.push_str(&html[copied..]);
        Some(out)
    }

    /// Resolves a destination written at body offset `offset` outside Markdown link syntax
    /// (a component's argument), like [`Pass::resolve_dest`].
    pub(super) fn resolve_raw(
        &mut self,
        dest: &str,
        pointer: Pointer,
        offset: usize,
    ) -> Option<String> {
        self.resolve_dest(dest, pointer, &Written::Raw { offset })
    }

    /// Resolves a destination as written: `Some(url)` to write instead (a local one, under
    /// the base path; a page's is recorded for the `#fragment` checks), `None` to keep it
    /// (an outside URL, a same-page `#x`, or one that leads nowhere, reported located).
    fn resolve_dest(&mut self, dest: &str, pointer: Pointer, written: &Written) -> Option<String> {
        if let Some(scheme) = unsafe_scheme(dest, pointer == Pointer::Image) {
            let location = self.locate(written, dest);
            self.diagnostics.push(script_url_warning(scheme, location));
            return None;
        }
        let (path, fragment, from_root) = match classify(dest) {
            Dest::External => return None,
            Dest::SamePage(fragment) => {
                let location = self.locate(written, dest);
                self.links.push(InternalLink {
                    target: None,
                    fragment,
                    location,
                });
                return None;
            }
            Dest::Local {
                path,
                fragment,
                from_root,
            } => (path, fragment, from_root),
        };
        let parts = split(dest);
        match self.place().resolve(&path, from_root) {
            Ok(link) => {
                self.resolved_image = link.image;
                self.resolved_document = link.document.clone();
                // Only a fragment is checked later (anchors): a link without one needs no
                // record, and each record's location holds its source line.
                if let (Some(document), Some(fragment)) = (link.document, fragment) {
                    // The whole destination: an anchor error is about the fragment as
                    // much as the page.
                    let location = self.locate(written, dest);
                    self.links.push(InternalLink {
                        target: Some(document),
                        fragment,
                        location,
                    });
                }
                Some(format!("{}{}", link.url, parts.suffix))
            }
            Err(broken) => {
                let location = self.locate(written, parts.path);
                self.diagnostics.push(super::broken::diagnostic(
                    parts.path, &broken, pointer, location,
                ));
                None
            }
        }
    }

    /// Where `text` (part of a destination) is in the file.
    fn locate(&mut self, written: &Written, text: &str) -> Location {
        match written {
            Written::Markdown {
                link_type,
                label,
                range,
            } => self.dest_location(text, *link_type, label, range.clone()),
            Written::Raw { offset } => self.locator.at(*offset, text.len()),
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
