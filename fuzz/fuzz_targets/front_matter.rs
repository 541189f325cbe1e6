//! Front matter: splitting the `---` block, then parsing it as a page's and as a section's
//! (`_index.md`) YAML, errors located into the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sheaf::testing::{self as load, front_matter};
use sheaf_fuzz::{source, text};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    if let Ok(parts) = front_matter::split(text) {
        assert!(parts.yaml.start <= parts.yaml.end && parts.yaml.end <= parts.body_offset);
        assert!(parts.body_offset <= text.len());
        assert!(
            text.is_char_boundary(parts.yaml.start) && text.is_char_boundary(parts.body_offset)
        );
    }
    for rel in ["essays/fuzz.md", "essays/_index.md"] {
        if let Err(errors) = load::parse_document(source(rel, text)) {
            assert!(!errors.is_empty());
            for e in &errors {
                // Every refusal is located in this file and prints.
                let at = e
                    .location
                    .as_ref()
                    .expect("a front-matter error has a location");
                assert!(at.line >= 1);
                let _ = e.to_string();
            }
        }
    }
});
