//! The attributes math-core writes that the page cannot keep as they are.
//!
//! - `style` (column alignment in `aligned`, `cases` and arrays, their rules, `\color`, ...) is
//!   blocked by a strict Content-Security-Policy (`style-src 'self'`). The declarations that
//!   matter become classes the theme styles (`math-left`, `math-pr0`, ...; its Math section
//!   is kept to the few that change what a formula says, within the theme's CSS budget), a
//!   colour becomes `mathcolor` (a MathML attribute, no style), `visibility:hidden`
//!   (`\mathstrut`) an `<mphantom>` around the element; dashed array rules are drawn solid,
//!   and the rest is dropped (the paddings of `\cfrac` and `subarray`, `\textsc`'s small
//!   capitals).
//! - `scriptlevel` and `displaystyle` are MathML Core attributes of every element, but the
//!   HTML checker (vnu) follows MathML 3, which has them on `mstyle` (and `displaystyle` on
//!   `mtable`) only. They move to an `<mstyle>` around the element, which means the same:
//!   both only set inherited properties.
//! - Lengths in `rem` (`\hspace{3pt}` is `0.3rem`, a TeX point being a tenth of the 10pt font
//!   it assumes) are not MathML 3 lengths: they become `em`, of the formula's own font.

/// Writes one start tag rewritten, after the start tags of any elements it is wrapped in;
/// returns their end tags, which the caller writes after the element's own.
pub(super) fn push_tag(out: &mut String, tag: &str) -> &'static str {
    let name_end = tag[1..].find([' ', '>', '/']).map_or(tag.len(), |i| i + 1);
    let name = &tag[1..name_end];
    let mut tag = tag.to_string();
    let mut lifted = String::new();
    if !matches!(name, "math" | "mstyle") && tag.contains(" scriptlevel=\"")
        || !matches!(name, "math" | "mstyle" | "mtable") && tag.contains(" displaystyle=\"")
    {
        for attr in ["displaystyle", "scriptlevel"] {
            if let Some((rest, value)) = take_attr(&tag, attr) {
                lifted.push_str(&format!(" {attr}=\"{value}\""));
                tag = rest;
            }
        }
    }
    let mut added = String::new();
    let mut hidden = false;
    if let Some((rest, style)) = take_attr(&tag, "style") {
        tag = rest;
        (added, hidden) = style_attributes(&style);
    }
    if !lifted.is_empty() {
        out.push_str("<mstyle");
        out.push_str(&lifted);
        out.push('>');
    }
    if hidden {
        out.push_str("<mphantom>");
    }
    let close = if tag.ends_with("/>") { 2 } else { 1 };
    let split = tag.len().saturating_sub(close);
    out.push_str(&rem_to_em(&tag[..split]));
    out.push_str(&added);
    out.push_str(&tag[split..]);
    match (!lifted.is_empty(), hidden) {
        (true, true) => "</mphantom></mstyle>",
        (true, false) => "</mstyle>",
        (false, true) => "</mphantom>",
        (false, false) => "",
    }
}

/// `tag` without ` name="value"`, and the value.
fn take_attr(tag: &str, name: &str) -> Option<(String, String)> {
    let needle = format!(" {name}=\"");
    let at = tag.find(&needle)?;
    let value_start = at + needle.len();
    let value_len = tag[value_start..].find('"')?;
    let value = tag[value_start..value_start + value_len].to_string();
    let rest = format!("{}{}", &tag[..at], &tag[value_start + value_len + 1..]);
    Some((rest, value))
}

/// The class and `mathcolor` attributes for a `style` value, and whether it hides the
/// element.
fn style_attributes(style: &str) -> (String, bool) {
    let mut classes: Vec<&str> = Vec::new();
    let mut color = None;
    let mut hidden = false;
    for declaration in style.split(';') {
        let declaration: String = declaration
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if declaration == "visibility:hidden" {
            hidden = true;
        } else if let Some(hex) = declaration.strip_prefix("color:#") {
            color = Some(hex.to_string()).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        } else if let Some(class) = class_for(&declaration)
            && !classes.contains(&class)
        {
            classes.push(class);
        }
    }
    let mut attrs = String::new();
    if !classes.is_empty() {
        attrs.push_str(&format!(" class=\"{}\"", classes.join(" ")));
    }
    if let Some(hex) = color {
        attrs.push_str(&format!(" mathcolor=\"#{hex}\""));
    }
    (attrs, hidden)
}

/// The theme's class for one declaration math-core writes (whitespace removed), if it has one.
fn class_for(declaration: &str) -> Option<&'static str> {
    Some(match declaration {
        "text-align:left" | "justify-items:start" => "math-left",
        "text-align:right" | "justify-items:end" => "math-right",
        "padding-left:0" => "math-pl0",
        "padding-right:0" => "math-pr0",
        "padding-left:1em" => "math-pl1",
        "border-left:0.05emsolidcurrentcolor" | "border-left:0.05emdashedcurrentcolor" => {
            "math-rule-l"
        }
        "border-right:0.05emsolidcurrentcolor" | "border-right:0.05emdashedcurrentcolor" => {
            "math-rule-r"
        }
        "width:100%" => "math-w100",
        "width:50%" => "math-w50",
        "width:7.5%" => "math-w7",
        // `width:…rem` repeats an `mspace` width attribute for old Firefox.
        _ => return None,
    })
}

/// Attribute values like `"-0.3rem"` as `"-0.3em"`.
fn rem_to_em(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while let Some(at) = rest.find("rem\"") {
        let value_start = rest[..at].rfind('"').map_or(0, |i| i + 1);
        let number = &rest[value_start..at];
        let numeric = !number.is_empty()
            && number
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        out.push_str(&rest[..at]);
        out.push_str(if numeric { "em\"" } else { "rem\"" });
        rest = &rest[at + "rem\"".len()..];
    }
    out.push_str(rest);
    out
}
