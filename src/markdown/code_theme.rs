//! The site's two highlighting themes (light and dark), resolved at build time into short
//! CSS classes.
//!
//! syntect's own class output names every scope a token is in (`<span class="hl-source
//! hl-python"><span class="hl-meta hl-function-call hl-python">...`), which made a highlighted
//! block about 19 times the size of its source, and every page, feed and write paid for
//! those bytes. Instead each token's style is resolved here the way a TextMate theme means
//! it (best-scoring selector per property), for both themes, and the token gets at most a
//! few classes naming the result: `hl3` (light palette colour 3), `hd7` (dark colour 7),
//! `hlb`/`hli`/`hlu` and `hdb`/`hdi`/`hdu` (bold, italic, underline), `hlg3`/`hdg3`
//! (background). `syntax.css` defines the light classes, and the dark ones inside
//! `prefers-color-scheme: dark`. Tokens that look like their neighbours share one span.
//!
//! A style depends only on the scope stack, and code repeats the same few stacks, so the
//! classes are remembered by stack: resolving is then one hash lookup per token.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::Scope;

use crate::diagnostic::did_you_mean;

/// Light and dark palettes, with the memo of classes by scope stack.
pub struct CodeTheme {
    /// The light and the dark theme's names: what highlighted HTML is keyed by, with the
    /// highlighter's version (the themes themselves come with the syntect release).
    pub(super) names: (String, String),
    light: Palette,
    dark: Palette,
    /// Class attribute values by scope stack; `None` for text in the default style.
    classes: RwLock<HashMap<Vec<Scope>, Option<Arc<str>>>>,
}

/// One theme: its highlighter and its colours, numbered in the theme's own order so the
/// class names are the same in every build.
struct Palette {
    highlighter: Highlighter<'static>,
    default: Style,
    colors: Vec<Color>,
    /// Which colours some rule uses as a background (only those get a background class).
    backgrounds: Vec<bool>,
    /// `l` or `d`: which scheme the classes belong to.
    scheme: char,
}

use crate::syntax_themes::themes;

fn theme(name: &str) -> Result<&'static Theme, String> {
    let set = themes();
    set.themes.get(name).ok_or_else(|| {
        let hint = did_you_mean(name, set.themes.keys().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let valid: Vec<&str> = set.themes.keys().map(String::as_str).collect();
        format!(
            "unknown highlight theme `{name}`{hint}; valid themes: {}",
            valid.join(", ")
        )
    })
}

impl CodeTheme {
    /// The theme pair `light`/`dark`, made once per process (the live preview and every
    /// build in it share the memo). `Err` names an unknown theme and lists the valid ones.
    pub fn named(light: &str, dark: &str) -> Result<Arc<CodeTheme>, String> {
        type Made = Mutex<HashMap<(String, String), Arc<CodeTheme>>>;
        static MADE: OnceLock<Made> = OnceLock::new();
        let made = MADE.get_or_init(Default::default);
        let key = (light.to_string(), dark.to_string());
        if let Some(theme) = made.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(theme.clone());
        }
        let made_now = Arc::new(CodeTheme {
            names: key.clone(),
            light: Palette::new(theme(light)?, 'l'),
            dark: Palette::new(theme(dark)?, 'd'),
            classes: RwLock::default(),
        });
        let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
        Ok(made.entry(key).or_insert(made_now).clone())
    }

    /// The themes `config.yaml` names. It was checked when loaded, so an unknown name
    /// cannot reach this; should one, code is coloured with the default pair.
    pub fn configured(names: &crate::config::Highlight) -> Arc<CodeTheme> {
        Self::named(&names.light, &names.dark).unwrap_or_else(|_| {
            let default = crate::config::Highlight::default();
            Self::named(&default.light, &default.dark)
                .expect("the default highlight themes are syntect's own")
        })
    }

    /// The class attribute for text inside `stack`, `None` when both themes show it in
    /// their default style.
    pub(super) fn classes(&self, stack: &[Scope]) -> Option<Arc<str>> {
        if let Some(known) = self
            .classes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(stack)
        {
            return known.clone();
        }
        let mut value = String::new();
        self.light.classes(stack, &mut value);
        self.dark.classes(stack, &mut value);
        let value: Option<Arc<str>> = (!value.is_empty()).then(|| value.trim_end().into());
        self.classes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(stack.to_vec(), value.clone());
        value
    }

    /// `syntax.css`: the light classes, then the dark ones inside
    /// `@media (prefers-color-scheme: dark)`.
    pub fn css(&self, light: &str, dark: &str) -> String {
        let mut css = format!(
            "/* Code highlighting, resolved at build time from the syntect themes `{light}` and \
             `{dark}`. */\n"
        );
        self.light.css(&mut css, "");
        css.push_str("\n@media (prefers-color-scheme: dark) {\n");
        // The light classes stay on the spans: undo them first (the dark rules, later and
        // as specific, then win), so a token the dark theme shows plainly is plain.
        let light_classes = self.light.class_names();
        let _ = writeln!(
            css,
            "  {} {{ color: inherit; background-color: transparent; font-weight: inherit; \
             font-style: inherit; text-decoration: inherit; }}",
            light_classes
                .iter()
                .map(|c| format!("pre.code .{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.dark.css(&mut css, "  ");
        css.push_str("}\n");
        css
    }
}

/// CSS for highlighted code (see [`CodeTheme::css`]). `Err` names an unknown theme.
pub(crate) fn syntax_css(light: &str, dark: &str) -> Result<String, String> {
    Ok(CodeTheme::named(light, dark)?.css(light, dark))
}

impl Palette {
    fn new(theme: &'static Theme, scheme: char) -> Palette {
        let highlighter = Highlighter::new(theme);
        let default = highlighter.get_default();
        let mut colors: Vec<Color> = Vec::new();
        let mut backgrounds = Vec::new();
        for rule in &theme.scopes {
            let uses = [
                (rule.style.foreground, false),
                (rule.style.background, true),
            ];
            for (color, is_background) in uses {
                let Some(color) = color.map(|c| opaque(c, default.background)) else {
                    continue;
                };
                let i = colors.iter().position(|&c| c == color).unwrap_or_else(|| {
                    colors.push(color);
                    backgrounds.push(false);
                    colors.len() - 1
                });
                backgrounds[i] |= is_background;
            }
        }
        Palette {
            highlighter,
            default,
            colors,
            backgrounds,
            scheme,
        }
    }

    fn index(&self, color: Color) -> Option<usize> {
        let color = opaque(color, self.default.background);
        self.colors.iter().position(|&c| c == color)
    }

    /// Appends this theme's classes for `stack`, each followed by a space.
    fn classes(&self, stack: &[Scope], out: &mut String) {
        let style = self.highlighter.style_for_stack(stack);
        let s = self.scheme;
        if opaque(style.foreground, self.default.background)
            != opaque(self.default.foreground, self.default.background)
            && let Some(i) = self.index(style.foreground)
        {
            let _ = write!(out, "h{s}{i} ");
        }
        if style.background != self.default.background
            && let Some(i) = self.index(style.background)
        {
            let _ = write!(out, "h{s}g{i} ");
        }
        for (flag, letter) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) && !self.default.font_style.contains(flag) {
                let _ = write!(out, "h{s}{letter} ");
            }
        }
    }

    /// Every class this theme's rules define.
    fn class_names(&self) -> Vec<String> {
        let s = self.scheme;
        let mut names = Vec::new();
        for i in 0..self.colors.len() {
            names.push(format!("h{s}{i}"));
            if self.backgrounds[i] {
                names.push(format!("h{s}g{i}"));
            }
        }
        names.extend(['b', 'i', 'u'].map(|letter| format!("h{s}{letter}")));
        names
    }

    /// This theme's rules, each line prefixed with `indent`.
    fn css(&self, css: &mut String, indent: &str) {
        let s = self.scheme;
        let _ = writeln!(
            css,
            "{indent}pre.code {{ color: {}; background-color: {}; }}",
            hex(self.default.foreground, self.default.background),
            hex(self.default.background, self.default.background),
        );
        for (i, &color) in self.colors.iter().enumerate() {
            let color = hex(color, self.default.background);
            let _ = writeln!(css, "{indent}pre.code .h{s}{i} {{ color: {color}; }}");
            if self.backgrounds[i] {
                let _ = writeln!(
                    css,
                    "{indent}pre.code .h{s}g{i} {{ background-color: {color}; }}"
                );
            }
        }
        let _ = writeln!(css, "{indent}pre.code .h{s}b {{ font-weight: bold; }}");
        let _ = writeln!(css, "{indent}pre.code .h{s}i {{ font-style: italic; }}");
        let _ = writeln!(
            css,
            "{indent}pre.code .h{s}u {{ text-decoration: underline; }}"
        );
    }
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

fn hex(color: Color, background: Color) -> String {
    let c = opaque(color, background);
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}
