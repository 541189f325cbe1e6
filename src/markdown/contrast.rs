//! Colour arithmetic for code themes: WCAG contrast, and the least move of a colour that
//! makes it readable on its background (what `syntax.css` sets for every colour).

use syntect::highlighting::Color;

/// The minimum contrast ratio for text, WCAG 2.x AA (1.4.3) for normal-size text.
pub(super) const AA_CONTRAST: f64 = 4.5;

/// `color` as drawn on `background`, moved the least towards black or white (whichever
/// side of the background has room) for a contrast ratio of at least [`AA_CONTRAST`].
/// A colour that already meets it is returned as it is. Checked on the 8-bit colour that
/// the stylesheet will hold, so rounding cannot undo it.
pub(super) fn readable(color: Color, background: Color) -> Color {
    let color = opaque(color, background);
    let background = opaque(background, background);
    if contrast(color, background) >= AA_CONTRAST {
        return color;
    }
    let towards = |target: u8| {
        let mix = |t: f64| {
            let channel =
                |c: u8| (f64::from(c) + (f64::from(target) - f64::from(c)) * t).round() as u8;
            Color {
                r: channel(color.r),
                g: channel(color.g),
                b: channel(color.b),
                a: 0xFF,
            }
        };
        // The smallest step that is enough: contrast grows with t towards either end.
        let (mut low, mut high) = (0.0_f64, 1.0_f64);
        if contrast(mix(high), background) < AA_CONTRAST {
            return None;
        }
        for _ in 0..24 {
            let mid = (low + high) / 2.0;
            if contrast(mix(mid), background) >= AA_CONTRAST {
                high = mid;
            } else {
                low = mid;
            }
        }
        Some(mix(high))
    };
    let (first, second) = if luminance(background) > 0.18 {
        (0x00, 0xFF)
    } else {
        (0xFF, 0x00)
    };
    towards(first)
        .or_else(|| towards(second))
        .unwrap_or(if first == 0 {
            Color::BLACK
        } else {
            Color::WHITE
        })
}

/// WCAG relative luminance of an opaque colour.
pub(super) fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG contrast ratio of two opaque colours, 1 to 21.
pub(super) fn contrast(a: Color, b: Color) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    let (light, dark) = if a > b { (a, b) } else { (b, a) };
    (light + 0.05) / (dark + 0.05)
}

/// `color` painted over `background`: themes give some colours an alpha, and a resolved
/// palette of opaque colours keeps the CSS simple and its contrast checkable.
pub(super) fn opaque(color: Color, background: Color) -> Color {
    if color.a == 0xFF {
        return color;
    }
    let mix = |front: u8, back: u8| {
        let a = u16::from(color.a);
        ((u16::from(front) * a + u16::from(back) * (255 - a) + 127) / 255) as u8
    };
    Color {
        r: mix(color.r, background.r),
        g: mix(color.g, background.g),
        b: mix(color.b, background.b),
        a: 0xFF,
    }
}

pub(super) fn hex(color: Color, background: Color) -> String {
    let c = opaque(color, background);
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}
