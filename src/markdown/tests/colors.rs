//! Highlighted code, read back through `syntax.css`, shows every character in the colour and
//! font style syntect's own inline-style highlighter gives it, in both schemes.

use std::collections::HashMap;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, FontStyle, ThemeSet};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::super::code_theme::{CodeTheme, opaque};
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
        let split = css.find("@media").unwrap();
        let (light_css, dark_css) = (Rules::parse(&css[..split]), Rules::parse(&css[split..]));
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
            for (theme_name, rules, scheme) in [(light, &light_css, 'l'), (dark, &dark_css, 'd')] {
                let theme = &themes.themes[theme_name];
                let background = theme.settings.background.unwrap();
                let mut expected: Vec<Look> = Vec::new();
                let mut lines = HighlightLines::new(syntax, theme);
                for line in LinesWithEndings::from(code) {
                    for (style, piece) in lines.highlight_line(line, &syntaxes).unwrap() {
                        let look = (
                            opaque(style.foreground, background),
                            opaque(style.background, background),
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
                        let look = rules.look(classes, scheme);
                        t.chars().map(move |_| look)
                    })
                    .collect();
                for (i, (want, have)) in expected.iter().zip(&got).enumerate() {
                    // Whitespace shows no colour; only its background and underline count.
                    let c = code.chars().nth(i).unwrap();
                    if c.is_whitespace() && (want.1, want.4) == (have.1, have.4) {
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

/// One scheme's part of `syntax.css`, as class name to declarations.
struct Rules {
    base: (Color, Color),
    by_class: HashMap<String, String>,
}

impl Rules {
    fn parse(css: &str) -> Rules {
        let mut by_class = HashMap::new();
        let mut base = None;
        for line in css.lines().map(str::trim) {
            let Some(rule) = line.strip_prefix("pre.code ") else {
                continue;
            };
            let (selector, body) = rule.split_once('{').unwrap();
            let body = body.trim_end_matches('}').trim().to_string();
            match selector.trim().strip_prefix('.') {
                Some(class) => {
                    by_class.insert(class.to_string(), body);
                }
                None => {
                    let color = value(&body, "color").unwrap();
                    let background = value(&body, "background-color").unwrap();
                    base = Some((color, background));
                }
            }
        }
        Rules {
            base: base.expect("a pre.code rule"),
            by_class,
        }
    }

    fn look(&self, classes: &[String], scheme: char) -> Look {
        let mut look = (self.base.0, self.base.1, false, false, false);
        let prefix = format!("h{scheme}");
        for class in classes.iter().filter(|c| c.starts_with(&prefix)) {
            let body = self
                .by_class
                .get(class)
                .unwrap_or_else(|| panic!("`.{class}` is in syntax.css"));
            if let Some(c) = value(body, "color") {
                look.0 = c;
            }
            if let Some(c) = value(body, "background-color") {
                look.1 = c;
            }
            look.2 |= body.contains("bold");
            look.3 |= body.contains("italic");
            look.4 |= body.contains("underline");
        }
        look
    }
}

/// The `#rrggbb` value of `property` in a declaration block.
fn value(body: &str, property: &str) -> Option<Color> {
    body.split(';').find_map(|d| {
        let (name, v) = d.split_once(':')?;
        (name.trim() == property).then(|| {
            let hex = v.trim().trim_start_matches('#');
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
