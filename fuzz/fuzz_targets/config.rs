//! `config.yaml`: YAML, unknown keys with hints, base URL and highlight theme checks.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sheaf::testing::BaseUrlOverride;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match sheaf::testing::parse_config(Path::new("config.yaml"), text, &BaseUrlOverride::None) {
        Ok(config) => {
            let base = config.urls.base_path();
            assert!(base.starts_with('/') && base.ends_with('/'));
            assert!(config.urls.path("/essays/a/").starts_with(base));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                let _ = e.to_string();
            }
        }
    }
});
