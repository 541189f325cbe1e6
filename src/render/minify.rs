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

/// `source` minified, or `None` to ship it as written.
pub(crate) fn minify_js(source: &str) -> Option<String> {
    // A theme's script is the author's input: a panic inside the minifier must not end the
    // build, only this optimisation.
    std::panic::catch_unwind(|| minify(source)).ok().flatten()
}

fn minify(source: &str) -> Option<String> {
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
