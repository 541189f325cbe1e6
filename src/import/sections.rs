//! Section order: sheaf sorts a section by date unless told otherwise, and refuses a page
//! without a date there. A source section holding undated pages (Hugo docs ordered by
//! weight, Zola's `sort_by = "permalink"` or a page that only redirects) gets
//! `sort_by: weight` (title breaks ties), and the report says so.

use super::model::Site;
use crate::yaml::Value;

/// The folder (content-relative) of the section that lists a page at `dest`: the nearest
/// folder above it with an `_index.md`, else the home page's.
fn owner<'a>(dest_dir: &'a str, sections: &[&str]) -> &'a str {
    let mut dir = dest_dir;
    loop {
        if sections.contains(&dir) || dir.is_empty() {
            return dir;
        }
        dir = dir.rfind('/').map_or("", |i| &dir[..i]);
    }
}

/// Sets `sort_by: weight` on every section sorted by date whose pages are not all dated.
pub(crate) fn order_undated(site: &mut Site) {
    let sections: Vec<String> = site
        .docs
        .iter()
        .filter(|d| d.is_section)
        .map(|d| d.dest_dir().to_string())
        .collect();
    let names: Vec<&str> = sections.iter().map(String::as_str).collect();
    // (section folder, pages, undated pages)
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    // Drafts are not built (and an undated draft is fine until it is published).
    let draft =
        |d: &&super::model::Doc| d.front.get("draft").and_then(Value::as_bool) == Some(true);
    for doc in site.docs.iter().filter(|d| !d.is_section && !draft(d)) {
        // A bundle's index.md lives in its own folder; its section is above that.
        let dir = if doc.dest.ends_with("/index.md") {
            let d = doc.dest_dir();
            d.rfind('/').map_or("", |i| &d[..i])
        } else {
            doc.dest_dir()
        };
        let section = owner(dir, &names).to_string();
        let undated = usize::from(doc.front.get("date").is_none());
        match counts.iter_mut().find(|(s, _, _)| *s == section) {
            Some(c) => {
                c.1 += 1;
                c.2 += undated;
            }
            None => counts.push((section, 1, undated)),
        }
    }
    for (section, pages, undated) in counts {
        if undated == 0 {
            continue;
        }
        let Some(doc) = site
            .docs
            .iter_mut()
            .find(|d| d.is_section && d.dest_dir() == section)
        else {
            continue;
        };
        // sheaf's default: the home page by weight, other sections by date.
        let sorted_by_date = match doc.front.get("sort_by").and_then(Value::as_str) {
            Some(s) => s == "date",
            None => !section.is_empty(),
        };
        if !sorted_by_date {
            continue;
        }
        doc.set("sort_by", "weight");
        let at = doc.source.display().to_string();
        site.note(
            at,
            format!(
                "section `{}` sorted by weight: {undated} of its {pages} pages have no date (sheaf sorts by date only when every page has one); hint: add dates and remove `sort_by`, or give the pages a `weight`",
                if section.is_empty() { "/" } else { &section }
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::Doc;

    fn doc(dest: &str, section: bool, date: Option<&str>) -> Doc {
        let mut d = Doc::new(dest.into(), dest.into(), String::new(), 1);
        d.is_section = section;
        if let Some(date) = date {
            d.set("date", date);
        }
        d
    }

    #[test]
    fn sections_with_undated_pages_sort_by_weight() {
        let mut site = Site {
            docs: vec![
                doc("_index.md", true, None),
                doc("a.md", false, Some("2020-01-01")),
                doc("docs/_index.md", true, None),
                doc("docs/intro.md", false, None),
                doc("docs/deep/more.md", false, Some("2020-01-01")),
                doc("blog/_index.md", true, None),
                doc("blog/b/index.md", false, Some("2020-01-01")),
                {
                    let mut d = doc("blog/draft.md", false, None);
                    d.set("draft", true);
                    d
                },
            ],
            ..Site::default()
        };
        order_undated(&mut site);
        assert!(site.docs[0].front.get("sort_by").is_none());
        site.docs[0].set("sort_by", "date");
        site.docs.push(doc("b.md", false, None));
        site.notes.clear();
        order_undated(&mut site);
        assert_eq!(site.docs[0].get_str("sort_by"), Some("weight"));
        assert_eq!(site.docs[2].get_str("sort_by"), Some("weight"));
        assert!(site.docs[5].front.get("sort_by").is_none());
        assert_eq!(site.notes.len(), 1);
        assert!(site.notes[0].message.contains("1 of its 2 pages"));
    }
}
