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

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        for (url, why) in &self.urls.lost {
            writeln!(f, "    lost: {url}: {why}")?;
        }
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
        let human = self.notes.len() + self.skipped.len() + self.check_errors.len();
        if human > 0 {
            writeln!(f, "  needs a human ({human}):")?;
            for n in self
                .notes
                .iter()
                .chain(&self.skipped)
                .chain(&self.check_errors)
            {
                writeln!(f, "    {}  {}", n.at, n.message)?;
            }
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
            for n in &self.broken {
                writeln!(f, "    {}  {}", n.at, n.message)?;
            }
        }
        if !self.dry_run {
            writeln!(f, "next: cd {} && sheaf serve", self.next_dir)?;
        }
        Ok(())
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
        assert!(text.contains("    content/blog/foo.md:12:3  shortcode `youtube`"));
        assert!(text.ends_with("next: cd blog-sheaf && sheaf serve\n"));
        report.dry_run = true;
        assert!(report.to_string().starts_with("dry run: nothing written\n"));
    }
}
