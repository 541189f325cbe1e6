//! The card's look: a light page in the default theme's colours with the theme's paper
//! mark and the site name at the top, the title large and bold, the short line under it
//! in grey, and a band in the default card's teal along the bottom edge.
//!
//! Sizes are chosen for the thumbnail: feeds show cards about 400-550 px wide, a third to
//! a half of 1200, so the smallest title size (64 px) is still a 21 px heading there and
//! the short line (36 px) a 12 px caption. Everything sits at least 80 px from the sides
//! and clear of the 14 px that `summary_large_image` crops from the top and bottom.
//!
//! The output is an SVG document as a string; every piece of card text goes through
//! [`escape`] on its way in.

use std::fmt::Write;

use super::Card;
use super::fonts::{self, TEXT_FAMILY, TITLE_FAMILY};
use super::layout::{clean, wrap, wrap_or_truncate};

pub(super) const WIDTH: u32 = 1200;
pub(super) const HEIGHT: u32 = 627;

/// Colours of the default theme's light scheme (style.css) and its mark (favicon.svg).
const BACKGROUND: &str = "#fbfaf7";
const TEXT: &str = "#1d1f23";
const MUTED: &str = "#575d66";
const BRAND: &str = "#2d5a6e";

const MARGIN: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// Title sizes, largest first: the first one at which the title fits in three lines wins.
const TITLE_SIZES: [f32; 4] = [84.0, 76.0, 68.0, 64.0];
const TITLE_MAX_LINES: usize = 3;
/// Room between lines for accents on capitals below descenders above.
const TITLE_LEADING: f32 = 1.2;
const LINE_SIZE: f32 = 36.0;
const LINE_MAX_LINES: usize = 2;
const LINE_LEADING: f32 = 1.4;
const SITE_SIZE: f32 = 32.0;
/// Inter's cap height, as a fraction of the font size, to place text by its visible top.
const CAP_HEIGHT: f32 = 0.727;
/// The area the title and line are centred in: below the site row, above the band.
const BODY_TOP: f32 = 150.0;
const BODY_BOTTOM: f32 = 560.0;
/// From the title's last baseline to the top of the line's capitals.
const GAP: f32 = 52.0;
const BAND_HEIGHT: f32 = 16.0;

/// Card text broken into lines, with the title size that made it fit.
pub(super) struct Laid {
    pub site: String,
    pub title: Vec<String>,
    pub title_size: f32,
    pub line: Vec<String>,
}

/// Measures and wraps the card's text.
pub(super) fn lay_out(card: &Card) -> Laid {
    let title_face = fonts::title();
    let line_face = fonts::text();
    let site = title_face.replace_missing(&clean(&card.site));
    // A card without a title shows the site's name in its place, not a blank page.
    let title = match title_face.replace_missing(&clean(&card.title)) {
        title if title.is_empty() => site.clone(),
        title => title,
    };
    let (title_lines, title_size) = TITLE_SIZES
        .iter()
        .find_map(|&size| {
            let measure = |s: &str| title_face.measure(s, size);
            wrap(&title, TEXT_WIDTH, TITLE_MAX_LINES, &measure).map(|lines| (lines, size))
        })
        .unwrap_or_else(|| {
            let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
            let measure = |s: &str| title_face.measure(s, size);
            let lines = wrap_or_truncate(&title, TEXT_WIDTH, TITLE_MAX_LINES, &measure);
            (lines, size)
        });

    let measure = |s: &str| line_face.measure(s, LINE_SIZE);
    let line = line_face.replace_missing(&clean(&card.line));
    let line = wrap_or_truncate(&line, TEXT_WIDTH, LINE_MAX_LINES, &measure);

    let site_width = TEXT_WIDTH - (SITE_X - MARGIN);
    let measure = |s: &str| title_face.measure(s, SITE_SIZE);
    let site = wrap_or_truncate(&site, site_width, 1, &measure);

    Laid {
        site: site.into_iter().next().unwrap_or_default(),
        title: title_lines,
        title_size,
        line,
    }
}

/// Where the site name starts: after the mark.
const SITE_X: f32 = MARGIN + 64.0;

/// The theme's mark (favicon.svg, a 32-unit square) at 48 px, its centre at y = 86.
const MARK: &str = concat!(
    r##"<g transform="translate(80 62) scale(1.5)">"##,
    r##"<rect x="5" y="5" width="18" height="23" rx="2" fill="#9db7c2" transform="rotate(-10 14 16)"/>"##,
    r##"<rect x="9" y="4" width="18" height="23" rx="2" fill="#fdfaf3" stroke="#2d5a6e" stroke-width="2"/>"##,
    r##"<path d="M13 10h10M13 14h10M13 18h7" fill="none" stroke="#2d5a6e" stroke-width="2" stroke-linecap="round"/>"##,
    "</g>"
);

/// The SVG document for laid-out card text.
pub(super) fn svg(laid: &Laid) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">"##
    );
    let band_y = HEIGHT as f32 - BAND_HEIGHT;
    let _ = write!(
        out,
        r##"<defs><linearGradient id="band" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#21405a"/><stop offset="1" stop-color="#3d7878"/></linearGradient></defs><rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/><rect y="{band_y}" width="{WIDTH}" height="{BAND_HEIGHT}" fill="url(#band)"/>{MARK}"##
    );
    if !laid.site.is_empty() {
        let baseline = 86.0 + CAP_HEIGHT * SITE_SIZE / 2.0;
        text(
            &mut out,
            &laid.site,
            SITE_X,
            baseline,
            SITE_SIZE,
            TITLE_FAMILY,
            700,
            BRAND,
        );
    }

    // Height from the top of the title's capitals to the last baseline of the line.
    let title_step = laid.title_size * TITLE_LEADING;
    let line_step = LINE_SIZE * LINE_LEADING;
    let block = |lines: &[String], size: f32, step: f32| match lines.len() {
        0 => 0.0,
        n => CAP_HEIGHT * size + (n - 1) as f32 * step,
    };
    let title_height = block(&laid.title, laid.title_size, title_step);
    let line_height = block(&laid.line, LINE_SIZE, line_step);
    let gap = if laid.title.is_empty() || laid.line.is_empty() {
        0.0
    } else {
        GAP
    };
    let top = (BODY_TOP + BODY_BOTTOM - title_height - gap - line_height) / 2.0;

    let mut baseline = top + CAP_HEIGHT * laid.title_size;
    for line in &laid.title {
        text(
            &mut out,
            line,
            MARGIN,
            baseline,
            laid.title_size,
            TITLE_FAMILY,
            700,
            TEXT,
        );
        baseline += title_step;
    }
    let mut baseline = top + title_height + gap + CAP_HEIGHT * LINE_SIZE;
    for line in &laid.line {
        text(
            &mut out,
            line,
            MARGIN,
            baseline,
            LINE_SIZE,
            TEXT_FAMILY,
            400,
            MUTED,
        );
        baseline += line_step;
    }
    out.push_str("</svg>");
    out
}

#[allow(clippy::too_many_arguments)]
fn text(
    out: &mut String,
    s: &str,
    x: f32,
    y: f32,
    size: f32,
    family: &str,
    weight: u16,
    fill: &str,
) {
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y:.1}" font-family="{family}" font-weight="{weight}" font-size="{size}" fill="{fill}">{}</text>"#,
        escape(s)
    );
}

/// Escapes text for an XML text node or attribute value.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
