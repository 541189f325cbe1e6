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

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use rustc_hash::FxHashMap;

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme};
use syntect::parsing::Scope;

use super::contrast::{hex, opaque, readable};
use crate::diagnostic::did_you_mean;

/// Light and dark palettes, with the memo of classes by scope stack.
pub struct CodeTheme {
    /// The light and the dark theme's names: what highlighted HTML is keyed by, with the
    /// highlighter's version (the themes themselves come with the syntect release).
    pub(super) names: (String, String),
    light: Palette,
    dark: Palette,
    /// Class attribute values by scope stack; `None` for text in the default style.
    classes: RwLock<FxHashMap<Vec<Scope>, Option<Arc<str>>>>,
    /// Tells this pair's entries in a thread's `LOCAL_CLASSES` from another pair's.
    id: u64,
}

/// A thread's memo: the pair it is for (`CodeTheme::id`), and its classes by scope stack.
type LocalClasses = (u64, FxHashMap<Vec<Scope>, Option<Rc<str>>>);

thread_local! {
    /// This thread's copy of the memo of the pair it last highlighted with, in front of the
    /// shared one: a token costs a hash and no lock or shared counter (with the shared memo
    /// alone, the two workers of a cold build bounced the lock's and the `Arc`s' counters
    /// between them at every token).
    static LOCAL_CLASSES: RefCell<LocalClasses> = RefCell::new((0, FxHashMap::default()));
}

/// One theme: its highlighter and its colours, numbered in the theme's own order so the
/// class names are the same in every build.
struct Palette {
    theme: &'static Theme,
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
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let made_now = Arc::new(CodeTheme {
            names: key.clone(),
            light: Palette::new(theme(light)?, 'l'),
            dark: Palette::new(theme(dark)?, 'd'),
            classes: RwLock::default(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
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
    pub(super) fn classes(&self, stack: &[Scope]) -> Option<Rc<str>> {
        LOCAL_CLASSES.with(|local| {
            let (pair, known) = &mut *local.borrow_mut();
            if *pair != self.id {
                *pair = self.id;
                known.clear();
            }
            if let Some(classes) = known.get(stack) {
                return classes.clone();
            }
            let classes = self.shared_classes(stack).map(|c| Rc::from(&*c));
            known.insert(stack.to_vec(), classes.clone());
            classes
        })
    }

    /// [`CodeTheme::classes`] from the memo every thread shares, made on a miss.
    fn shared_classes(&self, stack: &[Scope]) -> Option<Arc<str>> {
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

    /// `syntax.css`: the light classes; the dark ones inside
    /// `@media (prefers-color-scheme: dark)` unless the reader chose the light theme on the
    /// page; and the dark ones again for a reader who chose the dark theme
    /// (`<html data-theme>`, set by the theme's `theme.js`). The repeat costs little once
    /// gzipped, and keeps the system's scheme working without JavaScript.
    pub fn css(&self, light: &str, dark: &str) -> String {
        let mut css = format!(
            "/* Code highlighting, resolved at build time from the syntect themes `{light}` and \
             `{dark}`. */\n"
        );
        self.light.css(&mut css, "");
        css.push_str("\n@media (prefers-color-scheme: dark) {\n");
        self.dark_rules(&mut css, SYSTEM_DARK);
        css.push_str("}\n\n/* The dark theme chosen on the page, whatever the system's. */\n");
        self.dark_rules(&mut css, CHOSEN_DARK);
        css
    }

    /// The dark palette's rules, each selector prefixed with `scope`. The light classes stay
    /// on the spans: they are undone first (the dark rules, later and as specific, then
    /// win), so a token the dark theme shows plainly is plain.
    fn dark_rules(&self, css: &mut String, scope: &str) {
        let light_classes = self.light.class_names();
        let _ = writeln!(
            css,
            "{} {{ color: inherit; background-color: transparent; font-weight: inherit; \
             font-style: inherit; text-decoration: inherit; }}",
            light_classes
                .iter()
                .map(|c| format!("{scope}pre.code .{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.dark.css(css, scope);
    }
}

/// The scope of the dark rules inside the system's dark-scheme media query: not when the
/// reader chose the light theme.
pub(crate) const SYSTEM_DARK: &str = ":root:not([data-theme=\"light\"]) ";
/// The scope of the dark rules for a reader who chose the dark theme.
pub(crate) const CHOSEN_DARK: &str = ":root[data-theme=\"dark\"] ";

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
            theme,
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

    /// This theme's rules, each selector prefixed with `scope`. Every text colour is raised to
    /// WCAG AA against the background it is drawn on ([`readable`]); the classes in the HTML
    /// stay the theme's own, so only this stylesheet carries the adjustment.
    fn css(&self, css: &mut String, scope: &str) {
        let s = self.scheme;
        let background = self.default.background;
        let _ = writeln!(
            css,
            "{scope}pre.code {{ color: {}; background-color: {}; }}",
            hex(readable(self.default.foreground, background), background),
            hex(background, background),
        );
        for (i, &color) in self.colors.iter().enumerate() {
            let text = hex(readable(color, background), background);
            let _ = writeln!(css, "{scope}pre.code .h{s}{i} {{ color: {text}; }}");
        }
        // After the text colours, so a token on a coloured background takes this rule's
        // colour: its own hue, raised against the background it is actually on.
        for (i, &color) in self.colors.iter().enumerate() {
            if self.backgrounds[i] {
                let fill = opaque(color, background);
                let text = readable(self.text_on(fill), fill);
                let _ = writeln!(
                    css,
                    "{scope}pre.code .h{s}g{i} {{ background-color: {}; color: {}; }}",
                    hex(fill, background),
                    hex(text, fill),
                );
            }
        }
        let _ = writeln!(css, "{scope}pre.code .h{s}b {{ font-weight: bold; }}");
        let _ = writeln!(css, "{scope}pre.code .h{s}i {{ font-style: italic; }}");
        let _ = writeln!(
            css,
            "{scope}pre.code .h{s}u {{ text-decoration: underline; }}"
        );
    }

    /// The text colour the theme pairs with the background `fill`: the foreground of the
    /// first rule that sets both, else the theme's default text colour.
    fn text_on(&self, fill: Color) -> Color {
        let background = self.default.background;
        self.theme
            .scopes
            .iter()
            .find_map(|rule| {
                let style = &rule.style;
                (style.background.map(|b| opaque(b, background)) == Some(fill))
                    .then_some(style.foreground)
                    .flatten()
            })
            .unwrap_or(self.default.foreground)
    }
}
