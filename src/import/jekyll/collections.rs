//! Jekyll collections (`collections:` in `_config.yml`): which folders hold documents
//! published at their own URLs, each of which becomes a sheaf section.

use super::permalink;
use crate::yaml::{Mapping, Value};

/// A collection of `_config.yml` other than `posts`.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    pub name: String,
    /// Its folder relative to SOURCE (`_docs`, `my_collections/_docs`).
    pub dir: String,
    pub output: bool,
    /// Its URL template (`permalink`, else `/:collection/:path` with the style's suffix).
    pub permalink: String,
}

/// `collections:` (a list of names or a map of name → metadata), with `collections_dir`.
/// `posts` is left out: it has its own reader.
pub(super) fn collections(config: &Mapping, style: &str) -> Vec<Collection> {
    let base = config
        .get("collections_dir")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_matches('/');
    let entries: Vec<(String, Option<&Mapping>)> = match config.get("collections") {
        Some(Value::Sequence(list)) => list
            .iter()
            .filter_map(|v| v.as_str().map(|n| (n.to_string(), None)))
            .collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(k, v)| {
                let meta = match v {
                    Value::Mapping(m) => Some(m),
                    _ => None,
                };
                k.as_str().map(|n| (n.to_string(), meta))
            })
            .collect(),
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter(|(name, _)| name != "posts" && !name.is_empty() && !name.contains('/'))
        .map(|(name, meta)| {
            let get = |k: &str| meta.and_then(|m| m.get(k));
            let output = get("output").and_then(Value::as_bool).unwrap_or(false);
            let permalink = get("permalink")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    permalink::page_template(style).replace(":path/:basename", ":collection/:path")
                });
            let dir = if base.is_empty() {
                format!("_{name}")
            } else {
                format!("{base}/_{name}")
            };
            Collection {
                name,
                dir,
                output,
                permalink,
            }
        })
        .collect()
}
