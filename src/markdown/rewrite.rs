//! Rewriting links to `.md` files into page URLs, and recording internal links for the
//! pipeline's anchor checks.
//!
//! A broken internal link is an error at its destination's exact place in the file: for an
//! inline link inside the `(...)`, for a reference link on its `[label]: ...` definition line.

use std::ops::Range;

use pulldown_cmark::{CowStr, LinkType};

use crate::diagnostic::{Diagnostic, Location};

use super::InternalLink;
use super::links::{Dest, classify, resolve};
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
            self.diagnostics.push(
                Diagnostic::error(format!("broken link to `{written}`: no such page"))
                    .at(location)
                    .label(format!("resolves to `{target}` in the content folder"))
                    .help(
                        "the path is relative to the folder of this file; check the spelling, \
                         and that the page is not a draft or dated in the future",
                    ),
            );
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
