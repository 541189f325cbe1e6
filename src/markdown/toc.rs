//! The nested table of contents.

use super::TocEntry;

/// Nests headings by level: each heading goes under the closest earlier heading of a
/// smaller level, so skipped levels (h1 then h3) and odd starts (h3 then h2) both work.
pub(super) fn build_toc(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        insert(&mut toc, entry);
    }
    toc
}

/// Depth is bounded by the six heading levels, so the recursion is too.
fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => list.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_nests_and_tolerates_skipped_levels() {
        let flat = [(3, "a"), (2, "b"), (4, "c"), (3, "d"), (1, "e"), (3, "f")]
            .map(|(l, id)| (l, id.to_string(), id.to_uppercase()))
            .to_vec();
        let toc = build_toc(flat);
        let shape: Vec<_> = toc
            .iter()
            .map(|e| {
                (
                    e.id.as_str(),
                    e.children.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [("a", vec![]), ("b", vec!["c", "d"]), ("e", vec!["f"])]
        );
        assert_eq!(toc[1].children[0].level, 4);
    }
}
