//! Code colours meet WCAG AA by construction: every text colour `syntax.css` sets is at least
//! 4.5:1 against the background it is drawn on, for every theme an author can pick, in the
//! light and in the dark scheme.

use syntect::highlighting::Color;

use super::super::contrast::{AA_CONTRAST, contrast, readable};
use super::super::syntax_css;

fn parse_hex(value: &str) -> Color {
    let v = value.trim().trim_start_matches('#');
    let byte = |i: usize| u8::from_str_radix(&v[i..i + 2], 16).unwrap();
    Color {
        r: byte(0),
        g: byte(2),
        b: byte(4),
        a: 0xFF,
    }
}

fn declaration(rule: &str, property: &str) -> Option<Color> {
    rule.split(['{', ';', '}']).find_map(|d| {
        let (name, value) = d.split_once(':')?;
        (name.trim() == property && value.trim().starts_with('#')).then(|| parse_hex(value))
    })
}

/// Every (selector, text, background) pair the stylesheet draws.
fn pairs(css: &str) -> Vec<(String, Color, Color)> {
    let mut code_background = None;
    let mut found = Vec::new();
    for rule in css
        .lines()
        .filter(|l| l.contains('{') && l.contains("pre.code"))
    {
        let selector = rule.split('{').next().unwrap().trim().to_string();
        let text = declaration(rule, "color");
        let fill = declaration(rule, "background-color");
        if selector == "pre.code" {
            code_background = fill;
        }
        if let Some(text) = text {
            let on = fill.or(code_background).expect("pre.code comes first");
            found.push((selector, text, on));
        }
    }
    found
}

#[test]
fn every_colour_of_every_theme_meets_aa_in_both_schemes() {
    let mut checked = 0;
    for name in crate::syntax_themes::THEME_NAMES {
        let css = syntax_css(name, name).unwrap();
        let found = pairs(&css);
        assert!(found.len() > 4, "{name}: too few rules parsed from\n{css}");
        for (selector, text, on) in found {
            let ratio = contrast(text, on);
            assert!(
                ratio >= AA_CONTRAST,
                "{name}: `{selector}` is {ratio:.2}:1 ({text:?} on {on:?})"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} pairs checked");
}

#[test]
fn colours_that_already_meet_aa_are_kept() {
    let white = parse_hex("#ffffff");
    let black = parse_hex("#000000");
    let navy = parse_hex("#183691");
    assert_eq!(readable(navy, white), navy);
    assert_eq!(readable(white, black), white);
}

#[test]
fn low_contrast_colours_move_the_least_needed() {
    let white = parse_hex("#ffffff");
    // InspiredGitHub's green and comment grey, 3.2:1 and 2.9:1 on white (issue #16).
    for low in ["#63a35c", "#969896"] {
        let low = parse_hex(low);
        let raised = readable(low, white);
        let ratio = contrast(raised, white);
        assert!((AA_CONTRAST..AA_CONTRAST + 0.3).contains(&ratio), "{ratio}");
        // Darkened, not replaced: the hue's channel order stays.
        assert!(raised.g >= raised.r && raised.g >= raised.b || low.g < low.r);
    }
    // On a dark background, a dark colour is lightened.
    let dark = parse_hex("#2b303b");
    let raised = readable(parse_hex("#4f5b66"), dark);
    assert!(contrast(raised, dark) >= AA_CONTRAST);
    assert!(raised.r > 0x4f);
}
