//! math-core's MathML, made fit for the page: attributes a strict Content-Security-Policy or
//! the HTML checker refuse rewritten (`attributes.rs`), and two Chromium rendering faults
//! worked around.
//!
//! - Accents: math-core writes combining characters (U+0302 for `\hat`), which Chromium draws
//!   off to the left of the letter; the spacing forms (U+02C6) sit centred
//!   (`\vec`'s arrow, full size as a spacing character, is drawn at 70%).
//! - Primes: `f'` is `<msup><mi>f</mi><mo>′</mo></msup>`, and Chromium, which does not pick a
//!   font's script-size prime, raises the already raised `′` a second time. A prime on a
//!   single identifier is written after it instead, as it is in running text.
//!
//! The TeX is kept in `<annotation encoding="application/x-tex">` (escaped), the standard
//! place for a formula's source, which search leaves out: it indexes the formula's own text,
//! in which a space after each token keeps `replies` and `reach` two words (MathML ignores
//! white space between elements; the rendering was compared pixel for pixel in Chromium).

use super::attributes;

/// `<math>` with its TeX annotation, tidied. `mathml` is one `<math ...>...</math>` element.
pub(super) fn tidy(mathml: &str, tex: &str) -> String {
    let mathml = unwrap_primes(mathml);
    let mut out = String::with_capacity(mathml.len() + tex.len() + 96);
    let mut rest = mathml.as_str();
    // Whether the last tag was an opening `<mo ...>`, whose text may be an accent.
    let mut in_mo = false;
    // Per open element: the end tags of the elements wrapped around it.
    let mut wrapped: Vec<&'static str> = Vec::new();
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        match accent(text) {
            Some(spacing) if in_mo => {
                if spacing == VEC {
                    // The spacing arrow is a full-size arrow: drawn at 70%, it sits on the
                    // letter as `\vec`'s does. `out` ends with the `<mo ...>` tag's `>`.
                    out.pop();
                    out.push_str(" mathsize=\"70%\">");
                }
                out.push_str(spacing);
            }
            _ => out.push_str(text),
        }
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..end];
        in_mo = tag.starts_with("<mo>") || tag.starts_with("<mo ");
        if tag.starts_with("</") {
            out.push_str(tag);
            out.push_str(wrapped.pop().unwrap_or(""));
            if matches!(tag, "</mi>" | "</mn>" | "</mo>" | "</mtext>" | "</ms>") {
                // MathML ignores white space between elements, but text extraction (search,
                // reader modes) would glue `replies` and `reach` into one word without it.
                out.push(' ');
            }
        } else {
            let wrappers = attributes::push_tag(&mut out, tag);
            if tag.ends_with("/>") {
                out.push_str(wrappers);
            } else {
                wrapped.push(wrappers);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    annotate(&out, tex)
}

/// `\vec`'s arrow, as a spacing character.
const VEC: &str = "\u{2192}";

/// The spacing form of a lone combining accent.
fn accent(text: &str) -> Option<&'static str> {
    Some(match text {
        "\u{0300}" => "\u{02CB}",              // \grave
        "\u{0301}" => "\u{02CA}",              // \acute
        "\u{0302}" => "\u{02C6}",              // \hat, \widehat
        "\u{0303}" => "\u{02DC}",              // \tilde, \widetilde
        "\u{0304}" | "\u{0305}" => "\u{00AF}", // \bar
        "\u{0306}" => "\u{02D8}",              // \breve
        "\u{0307}" => "\u{02D9}",              // \dot
        "\u{0308}" => "\u{00A8}",              // \ddot
        "\u{030C}" => "\u{02C7}",              // \check
        "\u{20D7}" => VEC,
        _ => return None,
    })
}

/// `<msup><mi>f</mi><mo>′</mo></msup>` → `<mi>f</mi><mo lspace="0" rspace="0">′</mo>`.
fn unwrap_primes(mathml: &str) -> String {
    const OPEN: &str = "<msup><mi>";
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let unwrapped = after.split_once("</mi><mo>").and_then(|(name, tail)| {
            let prime = ["′", "″", "‴", "⁗"]
                .into_iter()
                .find(|p| tail.starts_with(&format!("{p}</mo></msup>")))?;
            (!name.contains('<')).then_some((name, prime))
        });
        match unwrapped {
            Some((name, prime)) => {
                out.push_str(&format!(
                    "<mi>{name}</mi><mo lspace=\"0\" rspace=\"0\">{prime}</mo>"
                ));
                let consumed = name.len() + "</mi><mo>".len() + prime.len() + "</mo></msup>".len();
                rest = &after[consumed..];
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Wraps the formula in `<semantics>` with its TeX source.
fn annotate(mathml: &str, tex: &str) -> String {
    let (Some(open_end), Some(close)) = (mathml.find('>'), mathml.rfind("</math>")) else {
        return mathml.to_string();
    };
    if close < open_end {
        return mathml.to_string();
    }
    let mut out = String::with_capacity(mathml.len() + tex.len() + 96);
    out.push_str(&mathml[..=open_end]);
    out.push_str("<semantics><mrow>");
    out.push_str(&mathml[open_end + 1..close]);
    // Search indexes the formula as drawn; its TeX (`\frac`, `\text`) would only add noise.
    out.push_str("</mrow><annotation encoding=\"application/x-tex\" data-pagefind-ignore>");
    super::super::escape_html(&mut out, tex.trim());
    out.push_str("</annotation></semantics></math>");
    out
}
