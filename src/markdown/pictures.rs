//! Markdown images written as the site shows them: the resolved URL, the intrinsic `width`
//! and `height` (so text does not jump as pictures load), WebP copies in a `<picture>`
//! with a `srcset`, and `loading="lazy"`/`decoding="async"` on all but the page's first
//! picture (usually the one a reader sees first). Alt text is required.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::transform::Pass;
use super::{ImageRef, escape_html};
use crate::diagnostic::Diagnostic;

/// How wide a picture is drawn in the theme's column: the column is at most 60ch, about
/// 40rem, and fills a phone's width less its margins.
pub(crate) const SIZES: &str = "(min-width: 44rem) 40rem, calc(100vw - 2.5rem)";

/// An image whose alt text is being read.
pub(super) struct OpenImage<'a> {
    url: CowStr<'a>,
    title: CowStr<'a>,
    image: Option<ImageRef>,
    out_at: usize,
    range: Range<usize>,
}

impl<'a> Pass<'_, 'a> {
    pub(super) fn open_image(
        &mut self,
        url: CowStr<'a>,
        title: CowStr<'a>,
        image: Option<ImageRef>,
        range: Range<usize>,
    ) {
        self.pictures.push(OpenImage {
            url,
            title,
            image,
            out_at: self.out.len(),
            range,
        });
    }

    /// Writes the image opened last, its alt text being the events since.
    pub(super) fn close_image(&mut self) {
        let Some(open) = self.pictures.pop() else {
            return;
        };
        let at = open.out_at.min(self.out.len());
        let mut alt = String::new();
        for event in self.out.drain(at..) {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                // A formula in alt text stays as its TeX.
                Event::InlineMath(t) => {
                    alt.push('$');
                    alt.push_str(&t);
                    alt.push('$');
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        if alt.trim().is_empty() {
            let location = self.locator.at(open.range.start, open.range.len());
            self.diagnostics.push(
                Diagnostic::warning("this image has no alt text")
                    .at(location)
                    .label("`![](…)` says nothing to a reader who cannot see it")
                    .help("describe the picture between the brackets: `![A chart of replies against reach](chart.png)`"),
            );
        }
        let first = self.pictures_written == 0;
        self.pictures_written += 1;
        let html = picture_html(&open.url, &alt, &open.title, open.image.as_ref(), first);
        self.out.push(Event::InlineHtml(CowStr::from(html)));
    }
}

/// `<img>`, or `<picture>` with a WebP `<source>` when there are copies.
pub(crate) fn picture_html(
    url: &str,
    alt: &str,
    title: &str,
    image: Option<&ImageRef>,
    first: bool,
) -> String {
    let mut html = String::new();
    let copies = image.filter(|i| !i.webp.is_empty());
    if let Some(image) = copies {
        html.push_str("<picture><source type=\"image/webp\" srcset=\"");
        escape_html(&mut html, &srcset(image));
        html.push_str("\" sizes=\"");
        html.push_str(SIZES);
        html.push_str("\">");
    }
    html.push_str("<img src=\"");
    escape_html(&mut html, url);
    html.push_str("\" alt=\"");
    escape_html(&mut html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        escape_html(&mut html, title);
        html.push('"');
    }
    if let Some(image) = image {
        html.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            image.width, image.height
        ));
    }
    if !first {
        html.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    html.push('>');
    if copies.is_some() {
        html.push_str("</picture>");
    }
    html
}

/// `a.w480.webp 480w, a.w960.webp 960w`.
pub(crate) fn srcset(image: &ImageRef) -> String {
    image
        .webp
        .iter()
        .map(|(width, url)| format!("{url} {width}w"))
        .collect::<Vec<_>>()
        .join(", ")
}
