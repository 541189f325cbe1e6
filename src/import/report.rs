//! The one report `sheaf import` prints (the same with `--dry-run`): what was imported,
//! what happened to the old URLs, keys and links, and everything a person must look at,
//! located.

use std::fmt;
use std::time::Duration;

use super::model::{Note, Site, UrlCounts};

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub dry_run: bool,
    pub dialect: &'static str,
    pub source: String,
    pub dest: String,
    pub took: Duration,
    pub pages: usize,
    pub sections: usize,
    pub assets: usize,
    pub urls: UrlCounts,
    pub moved_to_extra: Vec<(String, usize)>,
    pub config_extra: Vec<String>,
    pub links_rewritten: Vec<(&'static str, usize)>,
    pub notes: Vec<Note>,
    pub skipped: Vec<Note>,
    /// Broken links the written site has (found by sheaf's own check).
    pub broken: Vec<Note>,
    /// Other problems sheaf's check found in the written site.
    pub check_errors: Vec<Note>,
    /// The folder name to `cd` into for the next command.
    pub next_dir: String,
}

impl Report {
    /// The report of `site`, before the check.
    pub(crate) fn of(site: &Site) -> Report {
        let mut moved: Vec<(String, usize)> = site
            .moved_to_extra
            .iter()
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        moved.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut notes = site.notes.clone();
        notes.sort();
        let mut skipped = site.skipped.clone();
        skipped.sort();
        Report {
            pages: site.page_count(),
            sections: site.docs.len() - site.page_count(),
            assets: site.assets.len(),
            urls: site.urls.clone(),
            moved_to_extra: moved,
            config_extra: site.config_extra.clone(),
            links_rewritten: site.links_rewritten.iter().map(|(k, n)| (*k, *n)).collect(),
            notes,
            skipped,
            ..Report::default()
        }
    }
}

/// How many located lines of one kind the printed report shows; `import-report.txt`
/// has them all.
const SHOWN_PER_KIND: usize = 10;

/// The name of the complete report written into DEST.
pub(crate) const REPORT_FILE: &str = "import-report.txt";

/// A note's kind and hint: its message with the quoted names taken out (`shortcode `…`
/// kept as text`), and the text after `; hint: `.
fn kind_of(message: &str) -> (String, Option<&str>) {
    let (main, hint) = match message.split_once("; hint: ") {
        Some((m, h)) => (m, Some(h)),
        None => (message, None),
    };
    // A note with a hint is about one named thing (`shortcode `youtube``), whose hint is
    // its own: those group by name.
    if hint.is_some() {
        return (main.to_string(), hint);
    }
    let mut kind = String::new();
    for (i, part) in main.split('`').enumerate() {
        kind.push_str(if i % 2 == 1 { "`…`" } else { part });
    }
    (kind, hint)
}

/// One kind of note: its heading, its hint, and each (location, message).
type Group = (String, Option<String>, Vec<(String, String)>);

/// Notes grouped by kind, largest group first, each group in file order.
fn groups(notes: &[&Note]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for n in notes {
        let (kind, hint) = kind_of(&n.message);
        let hint = hint.map(str::to_string);
        let main = n.message.split("; hint: ").next().unwrap_or("").to_string();
        match out.iter_mut().find(|(k, h, _)| *k == kind && *h == hint) {
            Some((_, _, items)) => items.push((n.at.clone(), main)),
            None => out.push((kind, hint, vec![(n.at.clone(), main)])),
        }
    }
    out.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Writes `notes` as a heading per kind (count, hint once) and its located lines: all of
/// them when `full`, else the first [`SHOWN_PER_KIND`] and how many more.
fn write_groups(f: &mut fmt::Formatter<'_>, notes: &[&Note], full: bool) -> fmt::Result {
    for (kind, hint, items) in groups(notes) {
        match hint {
            Some(hint) => writeln!(f, "    {kind} ({}); hint: {hint}", items.len())?,
            None => writeln!(f, "    {kind} ({})", items.len())?,
        }
        let shown = if full { items.len() } else { SHOWN_PER_KIND };
        for (at, message) in items.iter().take(shown) {
            if at.is_empty() {
                writeln!(f, "      {message}")?;
            } else {
                writeln!(f, "      {at}  {message}")?;
            }
        }
        if items.len() > shown {
            writeln!(f, "      and {} more", items.len() - shown)?;
        }
    }
    Ok(())
}

impl Report {
    /// The report with every located line (what `import-report.txt` holds).
    pub(crate) fn full(&self) -> String {
        Full(self).to_string()
    }

    fn render(&self, f: &mut fmt::Formatter<'_>, full: bool) -> fmt::Result {
        if self.dry_run {
            writeln!(f, "dry run: nothing written")?;
        }
        writeln!(
            f,
            "{} {} pages, {} sections, {} assets from {} ({}) into {} in {} ms",
            if self.dry_run {
                "would import"
            } else {
                "imported"
            },
            self.pages,
            self.sections,
            self.assets,
            self.source,
            self.dialect,
            self.dest,
            self.took.as_millis()
        )?;
        writeln!(
            f,
            "  old URLs: {} kept, {} redirected, {} lost",
            self.urls.kept,
            self.urls.redirected,
            self.urls.lost.len()
        )?;
        let lost: Vec<Note> = self
            .urls
            .lost
            .iter()
            .map(|(url, why)| Note {
                at: url.clone(),
                message: format!("lost: {why}"),
            })
            .collect();
        let lost: Vec<&Note> = lost.iter().collect();
        write_groups(f, &lost, full)?;
        if self.moved_to_extra.is_empty() {
            writeln!(f, "  front matter: no keys moved to extra")?;
        } else {
            let list: Vec<String> = self
                .moved_to_extra
                .iter()
                .map(|(k, n)| format!("{k} ({n})"))
                .collect();
            writeln!(
                f,
                "  front matter: {} keys moved to extra: {}",
                list.len(),
                list.join(", ")
            )?;
        }
        if !self.config_extra.is_empty() {
            writeln!(
                f,
                "  config: kept under extra: {}",
                self.config_extra.join(", ")
            )?;
        }
        let total: usize = self.links_rewritten.iter().map(|(_, n)| n).sum();
        let kinds: Vec<String> = self
            .links_rewritten
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        if total > 0 {
            writeln!(f, "  links rewritten: {total} ({})", kinds.join(", "))?;
        } else {
            writeln!(f, "  links rewritten: 0")?;
        }
        let human: Vec<&Note> = self
            .notes
            .iter()
            .chain(&self.skipped)
            .chain(&self.check_errors)
            .collect();
        if !human.is_empty() {
            writeln!(f, "  needs a human ({}):", human.len())?;
            write_groups(f, &human, full)?;
        }
        if !self.broken.is_empty() {
            writeln!(
                f,
                "  links: {} broken {} that the source site already has; config.yaml sets `links: {{ internal: warn }}` so the site builds. Fix them, then remove that line:",
                self.broken.len(),
                if self.broken.len() == 1 {
                    "link"
                } else {
                    "links"
                }
            )?;
            let broken: Vec<&Note> = self.broken.iter().collect();
            write_groups(f, &broken, full)?;
        }
        if !self.dry_run {
            writeln!(f, "next: cd {} && sheaf serve", self.next_dir)?;
            if !full {
                writeln!(
                    f,
                    "next: read {} (this report with every line located)",
                    std::path::Path::new(&self.dest).join(REPORT_FILE).display()
                )?;
            }
        }
        Ok(())
    }
}

/// The printed report: a heading per kind of problem and its first located lines.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, false)
    }
}

/// The complete report.
struct Full<'a>(&'a Report);

impl fmt::Display for Full<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.render(f, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_reads_like_the_spec() {
        let mut site = Site::default();
        site.moved_to_extra.insert("toc_depth".into(), 120);
        site.moved_to_extra.insert("show_comments".into(), 98);
        site.note(
            "content/blog/foo.md:12:3",
            "shortcode `youtube` kept as text; hint: x",
        );
        site.rewrote("@/");
        let mut report = Report::of(&site);
        report.dialect = "zola";
        report.source = "~/blog".into();
        report.dest = "./blog-sheaf".into();
        report.next_dir = "blog-sheaf".into();
        let text = report.to_string();
        assert!(text.starts_with(
            "imported 0 pages, 0 sections, 0 assets from ~/blog (zola) into ./blog-sheaf in 0 ms\n"
        ));
        assert!(text.contains(
            "  front matter: 2 keys moved to extra: toc_depth (120), show_comments (98)\n"
        ));
        assert!(text.contains("  links rewritten: 1 (@/ 1)\n"));
        assert!(text.contains("    shortcode `youtube` kept as text (1); hint: x\n"));
        assert!(
            text.contains("      content/blog/foo.md:12:3  shortcode `youtube` kept as text\n")
        );
        assert!(text.contains("next: cd blog-sheaf && sheaf serve\n"));
        report.dry_run = true;
        assert!(report.to_string().starts_with("dry run: nothing written\n"));
    }

    #[test]
    fn many_notes_of_a_kind_are_grouped_and_cut_the_file_has_them_all() {
        let mut site = Site::default();
        for i in 1..=25 {
            site.note(
                format!("content/p{i:02}.md:3:1"),
                format!("broken anchor `#x{i}`: `p{i}.md` has no heading with this id"),
            );
        }
        site.note(
            "content/a.md:1:1",
            "shortcode `tweet` kept as text; hint: quote it",
        );
        let mut report = Report::of(&site);
        report.dest = "out".into();
        let text = report.to_string();
        assert!(text.contains("  needs a human (26):\n"), "{text}");
        assert!(
            text.contains("    broken anchor `…`: `…` has no heading with this id (25)\n"),
            "{text}"
        );
        assert!(text.contains("content/p10.md:3:1"), "{text}");
        assert!(!text.contains("content/p11.md:3:1"), "{text}");
        assert!(text.contains("      and 15 more\n"), "{text}");
        assert!(
            text.contains("    shortcode `tweet` kept as text (1); hint: quote it\n"),
            "{text}"
        );
        assert!(
            text.contains("next: read out/import-report.txt (this report with every line located)")
        );
        let full = report.full();
        assert!(full.contains("content/p25.md:3:1"), "{full}");
        assert!(!full.contains("and 15 more"));
    }
}
