//! The theme's scripts as readers get them: parsed, compressed, mangled and printed without
//! comments or spaces by oxc (the minifier behind Rolldown), so the sources can keep the
//! comments that say why and readers still download a third of the bytes (`worksheet.js`:
//! 10.1 KB gzipped as written, about 6 KB shipped). A script oxc cannot parse (a syntax error in a
//! theme of the author's) ships as written.

use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions, CommentOptions};
use oxc_minifier::{Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_span::SourceType;

/// `source` minified, or `None` to ship it as written. The default theme's scripts come
/// minified already (`premade_scripts.rs`).
pub(crate) fn minify_js(source: &str) -> Option<String> {
    if let Some(made) = super::premade_scripts::premade(source) {
        return Some(made.to_string());
    }
    // A theme's script is the author's input: a panic inside the minifier must not end the
    // build, only this optimisation.
    std::panic::catch_unwind(|| minify_now(source))
        .ok()
        .flatten()
}

/// `source` through oxc now, whatever it is.
pub(super) fn minify_now(source: &str) -> Option<String> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if parsed.panicked || !parsed.errors.is_empty() {
        return None;
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions::default()).minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions {
            minify: true,
            comments: CommentOptions::disabled(),
            ..CodegenOptions::default()
        })
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::minify_js;

    #[test]
    fn comments_and_spaces_go_and_behaviour_stays() {
        let source = "/* why */\n(() => {\n  'use strict';\n  // a note\n  const answer = 40 + 2;\n  document.title = `x${answer}`;\n})();\n";
        let out = minify_js(source).unwrap();
        assert!(!out.contains("why") && !out.contains("note"), "{out}");
        assert!(out.len() < source.len() / 2, "{out}");
        assert!(out.contains("42") || out.contains("40"), "{out}");
    }

    #[test]
    fn what_it_cannot_parse_ships_as_written() {
        assert_eq!(minify_js("function ( {"), None);
    }

    #[test]
    fn the_default_themes_scripts_minify() {
        for name in ["worksheet.js", "workbook.js", "share.js", "theme.js"] {
            let path = format!(
                "{}/themes/default/static/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let source = std::fs::read_to_string(path).unwrap();
            let out = minify_js(&source).unwrap_or_else(|| panic!("{name} does not minify"));
            assert!(out.len() < source.len(), "{name}");
        }
    }
}

/// A stylesheet without its comments (the theme's sources explain themselves at length;
/// readers need none of it) and without the blank lines they leave. Strings are copied as
/// they are, so a `/*` inside quotes is kept; an unclosed comment runs to the end, as in CSS.
pub(crate) fn strip_css_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find(['/', '"', '\'']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let first = from.as_bytes()[0];
        if first == b'/' {
            if let Some(comment) = from.strip_prefix("/*") {
                rest = comment.find("*/").map_or("", |end| &comment[end + 2..]);
            } else {
                out.push('/');
                rest = &from[1..];
            }
            continue;
        }
        // A string: up to its closing quote, `\` escapes included.
        let quote = first as char;
        let mut end = from.len();
        let mut escaped = false;
        for (i, c) in from.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                c if c == quote && !escaped => {
                    end = i + 1;
                    break;
                }
                _ => escaped = false,
            }
        }
        out.push_str(&from[..end]);
        rest = &from[end..];
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod css_tests {
    use super::strip_css_comments;

    #[test]
    fn comments_go_strings_stay() {
        let css =
            "/* head */\na { content: \"/* not */\"; } /* x */\n\n\nb{c:url('a/*b')}\n/* open";
        assert_eq!(
            strip_css_comments(css),
            "a { content: \"/* not */\"; }\nb{c:url('a/*b')}\n"
        );
    }
}
