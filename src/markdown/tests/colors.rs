//! Highlighted code, read back through `syntax.css`, shows every character in the colour and
//! font style syntect's own inline-style highlighter gives it, in both schemes: the colour
//! raised to WCAG AA where the theme's is too faint (`readable`), and on a coloured
//! background a colour that is readable on it.

use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, FontStyle, ThemeSet};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::super::code_theme::CodeTheme;
use super::super::contrast::{AA_CONTRAST, contrast, opaque, readable};
use super::super::highlight::highlight;
use super::super::{HighlightCache, Highlighting};

const SAMPLES: &[(&str, &str)] = &[
    (
        "rust",
        "/// Docs.\n#[derive(Debug)]\npub fn main() -> Result<(), String> {\n    let s = \"<b>&</b>\"; // note\n    println!(\"{s} {}\", 1 + 2_u8);\n    Ok(())\n}\n",
    ),
    (
        "python",
        "import json\n\n@cache\ndef f(x: int = 3) -> str:\n    \"\"\"Doc.\"\"\"\n    return f'{x!r}' if x else None  # c\n",
    ),
    (
        "js",
        "const a = [1, 2].map((x) => x * 2);\nclass B extends C { #p = /re+/g; get q() { return `t${a}`; } }\n",
    ),
    (
        "bash",
        "#!/bin/sh\nfor f in *.md; do echo \"$f\" | grep -q x && exit 1; done\n",
    ),
    (
        "yaml",
        "# c\nname: x\nlist:\n  - 1\n  - 'q'\nmap: { a: true }\n",
    ),
    (
        "html",
        "<!doctype html>\n<p class=\"x\">Hi &amp; <em>bye</em></p>\n<script>let x = 1;</script>\n",
    ),
    (
        "css",
        "a:hover, .b > c { color: #fff !important; margin: 0 1px; }\n",
    ),
    ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n"),
];

const PAIRS: &[(&str, &str)] = &[
    ("InspiredGitHub", "base16-ocean.dark"),
    ("Solarized (light)", "Solarized (dark)"),
    ("base16-ocean.light", "base16-eighties.dark"),
    ("InspiredGitHub", "base16-mocha.dark"),
];

/// What a character looks like: colour, background, bold, italic, underline.
type Look = (Color, Color, bool, bool, bool);

#[test]
fn classes_resolve_to_syntects_own_styles() {
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let themes = ThemeSet::load_defaults();
    for &(light, dark) in PAIRS {
        let code_theme = CodeTheme::named(light, dark).unwrap();
        let css = code_theme.css(light, dark);
        let rules = Rules::parse(&css);
        for &(token, code) in SAMPLES {
            let with = Highlighting {
                theme: &code_theme,
                cache: &HighlightCache::in_memory(),
            };
            let html = highlight(token, code, with).unwrap();
            let runs = runs(&html);
            let text: String = runs.iter().map(|(_, t)| t.as_str()).collect();
            assert_eq!(text, code, "{token}: the text survives");
            let syntax = syntaxes.find_syntax_by_token(token).unwrap();
            for (theme_name, dark_scheme) in [(light, false), (dark, true)] {
                let theme = &themes.themes[theme_name];
                let background = theme.settings.background.unwrap();
                let mut expected: Vec<Look> = Vec::new();
                let mut lines = HighlightLines::new(syntax, theme);
                for line in LinesWithEndings::from(code) {
                    for (style, piece) in lines.highlight_line(line, &syntaxes).unwrap() {
                        let fill = opaque(style.background, background);
                        let look = (
                            readable(style.foreground, fill),
                            fill,
                            style.font_style.contains(FontStyle::BOLD),
                            style.font_style.contains(FontStyle::ITALIC),
                            style.font_style.contains(FontStyle::UNDERLINE),
                        );
                        expected.extend(piece.chars().map(|_| look));
                    }
                }
                let got: Vec<Look> = runs
                    .iter()
                    .flat_map(|(classes, t)| {
                        let look = rules.look(classes, dark_scheme);
                        t.chars().map(move |_| look)
                    })
                    .collect();
                for (i, (want, have)) in expected.iter().zip(&got).enumerate() {
                    // Whitespace shows no colour; only its background and underline count.
                    let c = code.chars().nth(i).unwrap();
                    if c.is_whitespace() && (want.1, want.4) == (have.1, have.4) {
                        continue;
                    }
                    if want.1 != opaque(background, background) {
                        // On a coloured background the stylesheet sets the text colour the
                        // theme pairs with it: readable there, whatever the token's own.
                        assert_eq!(
                            (want.1, want.2, want.3, want.4),
                            (have.1, have.2, have.3, have.4)
                        );
                        assert!(
                            contrast(have.0, have.1) >= AA_CONTRAST,
                            "{token} in {theme_name}: {c:?}"
                        );
                        continue;
                    }
                    assert_eq!(
                        want, have,
                        "{token} in {theme_name}: character {i} {c:?} of {code:?}"
                    );
                }
                assert_eq!(expected.len(), got.len());
            }
        }
    }
}

/// The text runs of highlighted HTML, each with its span's classes, entities decoded.
fn runs(html: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut classes: Vec<String> = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<span class=\"") {
            let end = after.find("\">").unwrap();
            classes = after[..end].split(' ').map(str::to_string).collect();
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            classes.clear();
            rest = after;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = rest[..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert!(!text.contains("<span"), "spans never nest: {html}");
            out.push((classes.clone(), text));
            rest = &rest[end..];
        }
    }
    out
}

/// `syntax.css` as a browser applies it to a span in one colour scheme: its rules in order,
/// those inside `@media (prefers-color-scheme: dark)` only in the dark one. Every class
/// selector is `pre.code .name`, all equally specific, so the last matching rule wins.
struct Rules {
    rules: Vec<Rule>,
}

struct Rule {
    dark_only: bool,
    /// `None`: the `pre.code` rule itself (the block's own colours).
    classes: Option<Vec<String>>,
    body: String,
}

impl Rules {
    fn parse(css: &str) -> Rules {
        let mut rules = Vec::new();
        let mut dark_only = false;
        for line in css.lines().map(str::trim) {
            if line.starts_with("@media (prefers-color-scheme: dark)") {
                dark_only = true;
                continue;
            }
            if line.starts_with("/* The dark theme chosen on the page") {
                // The same rules again for a reader's choice (syntax_css_has_light_and_dark_palettes).
                break;
            }
            let line = line.replace(r#":root:not([data-theme="light"]) "#, "");
            let Some((selectors, body)) = line.split_once('{') else {
                continue;
            };
            if !selectors.trim_start().starts_with("pre.code") {
                continue;
            }
            let body = body.trim_end_matches('}').trim().to_string();
            let selectors: Vec<&str> = selectors.split(',').map(str::trim).collect();
            let classes = if selectors == ["pre.code"] {
                None
            } else {
                let names = selectors.iter().map(|sel| {
                    let class = sel.strip_prefix("pre.code .").expect("pre.code .class");
                    class.to_string()
                });
                Some(names.collect())
            };
            rules.push(Rule {
                dark_only,
                classes,
                body,
            });
        }
        Rules { rules }
    }

    /// What a span with `classes` looks like in the light or the dark scheme.
    fn look(&self, classes: &[String], dark: bool) -> Look {
        let applies = |r: &&Rule| !r.dark_only || dark;
        let mut base = (Color::BLACK, Color::WHITE);
        for rule in self.rules.iter().filter(applies) {
            if rule.classes.is_none() {
                base = (
                    value(&rule.body, "color").unwrap(),
                    value(&rule.body, "background-color").unwrap(),
                );
            }
        }
        let mut look = (base.0, base.1, false, false, false);
        for rule in self.rules.iter().filter(applies) {
            let Some(names) = &rule.classes else {
                continue;
            };
            if !names.iter().any(|n| classes.contains(n)) {
                continue;
            }
            let body = &rule.body;
            for declaration in body.split(';').map(str::trim) {
                match declaration
                    .split_once(':')
                    .map(|(p, v)| (p.trim(), v.trim()))
                {
                    Some(("color", "inherit")) => look.0 = base.0,
                    Some(("background-color", "transparent")) => look.1 = base.1,
                    Some(("color", _)) => look.0 = value(body, "color").unwrap(),
                    Some(("background-color", _)) => {
                        look.1 = value(body, "background-color").unwrap();
                    }
                    Some(("font-weight", v)) => look.2 = v == "bold",
                    Some(("font-style", v)) => look.3 = v == "italic",
                    Some(("text-decoration", v)) => look.4 = v == "underline",
                    Some((p, v)) => panic!("unexpected declaration {p}: {v}"),
                    None => {}
                }
            }
        }
        look
    }
}

/// The `#rrggbb` value of `property` in a declaration block.
fn value(body: &str, property: &str) -> Option<Color> {
    body.split(';').find_map(|d| {
        let (name, v) = d.split_once(':')?;
        let v = v.trim();
        (name.trim() == property && v.starts_with('#')).then(|| {
            let hex = v.trim_start_matches('#');
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
            Color {
                r: byte(0),
                g: byte(2),
                b: byte(4),
                a: 0xFF,
            }
        })
    })
}
