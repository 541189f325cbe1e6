//! Running the plan's jobs: each job to its output files, and a batch of jobs in parallel.

use rayon::prelude::*;

use super::plan::Job;
use super::{Renderer, feeds, social};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::{Contents, OutputFile};

impl Renderer<'_> {
    /// Renders one job of the plan into its files.
    pub(crate) fn run(&self, site: &Site, job: Job) -> Result<Vec<OutputFile>, Diagnostic> {
        let one = |file| Ok(vec![file]);
        match job {
            Job::Page(i) => one(self.render_page(site, i)?),
            Job::Section(s) => one(self.render_section(site, s)?),
            Job::Tag(t) => one(self.render_tag(site, t)?),
            Job::TagIndex => one(self.render_tag_index(site)?),
            Job::NotFound => one(self.render_404(site)?),
            Job::Alias(a) => {
                let (alias, page) = &site.aliases[a];
                one(self.render_alias(site, alias, *page)?)
            }
            Job::Results(p) => {
                let count = site.pages[p]
                    .worksheet
                    .as_ref()
                    .map_or(0, |w| w.results.len());
                (0..count)
                    .map(|r| self.render_worksheet_result(site, p, r))
                    .collect()
            }
            Job::Cards(p) => {
                social::render(self.card_cache, &social::cards_of(site, p)).map_err(|d| {
                    d.at(crate::diagnostic::Location::file_only(
                        &site.pages[p].doc.source.shown,
                    ))
                })
            }
            Job::SiteFeeds => Ok(feeds::site_feeds(site, &self.feed_html)),
            Job::TagFeed(t) => one(feeds::tag_feed(site, &self.feed_html, t)),
            Job::Sitemap => one(super::sitemap::sitemap(site)),
            Job::Robots => one(text_file(
                "robots.txt",
                format!(
                    "User-agent: *\nAllow: /\nSitemap: {}\n",
                    site.config.urls.absolute("/sitemap.xml")
                ),
            )),
            Job::NoJekyll => one(text_file(".nojekyll", String::new())),
            Job::Assets => Ok(self.asset_files.to_vec()),
            Job::ContentFile(f) => {
                let file = &site.files[f];
                one(OutputFile {
                    path: crate::model::content_file_path(&file.rel),
                    contents: Contents::Copy(file.path.clone()),
                })
            }
            Job::Static(f) => {
                let file = &site.statics[f];
                one(OutputFile {
                    path: file.rel.clone(),
                    contents: Contents::Copy(file.path.clone()),
                })
            }
        }
    }
}

/// Renders jobs in parallel; every failure is reported, not just the first.
pub(crate) fn run_jobs(
    site: &Site,
    renderer: &Renderer,
    jobs: &[Job],
) -> Result<Vec<Vec<OutputFile>>, Vec<Diagnostic>> {
    let results: Vec<Result<Vec<OutputFile>, Diagnostic>> = jobs
        .par_iter()
        .map(|&job| renderer.run(site, job))
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(files) => outputs.push(files),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(outputs)
    } else {
        Err(diagnostics)
    }
}

fn text_file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: Contents::Bytes(text.into()),
    }
}
