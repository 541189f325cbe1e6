//! URLs sheaf makes pages at itself (`/search/`, `/tags/…`, `/series/…`, `/workbook/`): a
//! document of the old site there would clash with them and stop the build. An old site's
//! own search or tag page is what sheaf's page replaces, so such a document is left out,
//! said in the report, and its old URL still answers (with sheaf's page).

use super::model::{Note, Site};
use super::urls::sheaf_path;

/// Whether sheaf writes a page of its own at site path `path`.
fn generated(path: &str) -> bool {
    matches!(path, "/search/" | "/tags/" | "/series/" | "/workbook/")
        || path.starts_with("/tags/")
        || path.starts_with("/series/")
}

/// Leaves out the documents whose URL is one of sheaf's own pages. A section that still
/// holds pages is kept (its pages would lose their list) and reported, for a person to move.
pub(crate) fn drop_docs_at_generated_paths(site: &mut Site) {
    let mut kept = Vec::with_capacity(site.docs.len());
    let docs = std::mem::take(&mut site.docs);
    let folders_with_pages: std::collections::BTreeSet<String> = docs
        .iter()
        .filter(|d| !d.is_section)
        .map(|d| d.dest_dir().to_string())
        .collect();
    for doc in docs {
        let path = doc
            .get_str("path")
            .map_or_else(|| sheaf_path(&doc.dest), str::to_string);
        if !generated(&path) {
            kept.push(doc);
            continue;
        }
        let holds_pages = doc.is_section && folders_with_pages.contains(doc.dest_dir());
        let message = if holds_pages {
            format!(
                "section at `{path}`, where sheaf makes a page of its own: move its folder \
                 (and keep the old URLs with `aliases`) before building"
            )
        } else {
            format!("not imported: sheaf makes its own page at `{path}`, which answers the old URL")
        };
        site.notes.push(Note {
            at: format!("content/{}", doc.dest),
            message,
        });
        if holds_pages {
            kept.push(doc);
        }
    }
    site.docs = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheafs_own_pages_are_generated_paths() {
        for path in [
            "/search/",
            "/tags/",
            "/tags/rust/",
            "/series/habits/",
            "/workbook/",
        ] {
            assert!(generated(path), "{path}");
        }
        for path in ["/searching/", "/blog/tags/", "/", "/about/"] {
            assert!(!generated(path), "{path}");
        }
    }
}
