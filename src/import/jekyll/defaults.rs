//! `defaults:` in `_config.yml`: front matter a scope (a path prefix, a type) gets unless
//! the file says otherwise (brew.sh sets every post's `permalink` this way).

use super::Settings;
use crate::yaml::{Mapping, Value};

/// The `defaults:` entries: (path prefix, type, values).
pub(super) fn defaults(config: &Mapping) -> Vec<(String, Option<String>, Mapping)> {
    let Some(Value::Sequence(list)) = config.get("defaults") else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            let scope = entry.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim_matches('/')
                .to_string();
            let kind = scope
                .and_then(|s| s.get("type"))
                .and_then(Value::as_str)
                .map(str::to_string);
            match entry.get("values") {
                Some(Value::Mapping(values)) => Some((path, kind, values.clone())),
                _ => None,
            }
        })
        .collect()
}

/// Front matter with `_config.yml`'s `defaults:` filled in under it (the file wins).
/// `kind` is the document's type: `pages`, `posts`, or a collection's name.
pub(super) fn with_defaults(
    mut map: Mapping,
    rel: &str,
    kind: &str,
    settings: &Settings,
) -> Mapping {
    for (path, scope_kind, values) in &settings.defaults {
        let kind_ok = scope_kind.as_deref().is_none_or(|k| k == kind);
        // Jekyll's `path_is_subpath?` is a plain prefix test.
        if kind_ok && (path.is_empty() || rel.starts_with(path.as_str())) {
            for (k, v) in values {
                if !map.contains_key(k) {
                    map.insert(k.clone(), v.clone());
                }
            }
        }
    }
    map
}
