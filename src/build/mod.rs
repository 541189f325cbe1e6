//! The pipeline, end to end: load → model → render → write.
//!
//! Each stage reports what it can; later stages still run where their input is usable so a
//! single run shows as many of the author's mistakes as possible.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod deploy;
mod outputs;
mod run;
mod session;

pub(crate) use run::Pending;
pub use run::{Changes, Ready, Rebuilt, RunStats, Steer, Urgent};
pub use session::{Session, Started};

use crate::diagnostic::Diagnostics;
use crate::model::Site;
use crate::output::OutputFile;
use crate::{search, write};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds `config.yaml` and `content/`).
    pub root: PathBuf,
    /// Where the site is written (`public/` by default).
    pub output: PathBuf,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// Replaces `base_url` from `config.yaml` (`--base-url`, `SHEAF_BASE_URL`).
    pub base_url: Option<String>,
    /// Building for the live preview (marks drafts, injects the reload script).
    pub preview: bool,
}

#[cfg(test)]
impl BuildOptions {
    /// `sheaf build` of the site at `root` into `root/public`, with no flags.
    pub(crate) fn plain(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            output: root.join("public"),
            drafts: false,
            future: false,
            base_url: None,
            preview: false,
        }
    }
}

/// A rendered site held in memory, ready to write or serve.
pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
    /// Warnings found along the way (a build with warnings still succeeds).
    pub warnings: Diagnostics,
    /// How long each stage took, for `--verbose`.
    pub timings: Timings,
    /// Social cards drawn by this build (the others came from the card cache).
    pub cards_drawn: usize,
}

/// Wall time per pipeline stage, in order.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
    last: Option<Instant>,
}

impl Timings {
    pub(crate) fn start() -> Self {
        Timings {
            stages: Vec::new(),
            last: Some(Instant::now()),
        }
    }

    /// Records a stage measured elsewhere (it overlaps the laps around it).
    pub(crate) fn add(&mut self, stage: &'static str, took: Duration) {
        self.stages.push((stage, took));
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        let since = self.last.map_or(Duration::ZERO, |l| now - l);
        self.stages.push((stage, since));
        self.last = Some(now);
    }

    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.stages
    }

    /// One line per stage on stderr, for `--verbose`.
    pub fn print(&self) {
        for (stage, took) in &self.stages {
            eprintln!("  {stage:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
}

/// What a successful build did, for the summary line.
pub(crate) struct Summary {
    pub pages: usize,
    pub worksheets: usize,
    pub tags: usize,
    /// Social cards in the output, and how many of them this build drew.
    pub cards: usize,
    pub cards_drawn: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub files: usize,
    /// Files whose bytes were the same as in the previous output (left untouched).
    pub unchanged: usize,
    /// Code blocks highlighted by this build, and found in the highlight cache.
    pub code_blocks: (usize, usize),
    pub timings: Timings,
    /// Drafts left out of the build (no `--drafts`), and pages dated in the future
    /// left out (no `--future`): said on the summary line, so nothing is left
    /// unpublished by surprise.
    pub drafts_left_out: usize,
    pub future_left_out: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = self.elapsed.as_millis();
        let time = if ms >= 10_000 {
            format!("{:.1} s", self.elapsed.as_secs_f64())
        } else {
            format!("{ms} ms")
        };
        let output = self.output.display().to_string();
        let output = if output.ends_with('/') {
            output
        } else {
            format!("{output}/")
        };
        let cards = if self.cards == 0 {
            String::new()
        } else {
            format!(
                ", {} social {} ({} drawn)",
                self.cards,
                plural(self.cards, "card", "cards"),
                self.cards_drawn
            )
        };
        write!(
            f,
            "built {} {}, {} {}, {} {}{cards} in {time} -> {output}",
            self.pages,
            plural(self.pages, "page", "pages"),
            self.worksheets,
            plural(self.worksheets, "worksheet", "worksheets"),
            self.tags,
            plural(self.tags, "tag", "tags"),
        )?;
        let mut left_out = Vec::new();
        if self.drafts_left_out > 0 {
            let n = self.drafts_left_out;
            left_out.push(format!(
                "{n} {} left out: pass --drafts to include {}",
                plural(n, "draft", "drafts"),
                plural(n, "it", "them")
            ));
        }
        if self.future_left_out > 0 {
            let n = self.future_left_out;
            left_out.push(format!(
                "{n} future-dated {} left out until {} date: pass --future to include {}",
                plural(n, "page", "pages"),
                plural(n, "its", "their"),
                plural(n, "it", "them")
            ));
        }
        if !left_out.is_empty() {
            write!(f, " ({})", left_out.join("; "))?;
        }
        Ok(())
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Loads, checks and renders the site in memory. Nothing is written.
pub fn render(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut session = Session::new(options.clone());
    let rebuilt = session.rebuild(&Changes::All)?;
    let mut files: Vec<OutputFile> = session.files().cloned().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let cards_drawn = rebuilt.stats.cards_drawn;
    let Some(site) = session.into_site() else {
        return Err(rebuilt.warnings);
    };
    Ok(Built {
        site,
        files,
        warnings: rebuilt.warnings,
        timings: rebuilt.timings,
        cards_drawn,
    })
}

/// `sheaf build`: renders the site batch by batch into a staging folder beside the
/// output (`write::Staging`), then swaps it in. The site is never held in memory whole.
/// `force` replaces an output folder that sheaf did not write (`--force`).
pub(crate) fn build(
    options: &BuildOptions,
    force: bool,
) -> Result<(Summary, Diagnostics), Diagnostics> {
    let started = Instant::now();
    let state = write::check_output_dir(&options.root, &options.output, force)
        .map_err(Diagnostics::from)?;
    let mut staging = write::Staging::begin(&options.output, state, &|output| {
        eprintln!(
            "waiting for another sheaf build writing {} to finish",
            output.display()
        );
    })
    .map_err(Diagnostics::from)?;
    let mut deploy = deploy::DeployCheck::default();
    let mut writing = Duration::ZERO;
    let mut session = Session::new(options.clone());
    // Started with the first batch (the site is known then), fed every batch after it.
    let mut indexer: Option<Option<search::Indexer>> = None;
    let rebuilt = session.build_into(&mut |site, batch| {
        let t = Instant::now();
        let indexer = indexer.get_or_insert_with(|| search::Indexer::start(site));
        if let Some(indexer) = indexer {
            indexer.add(site, batch);
        }
        deploy.add(site, batch);
        let written = staging.write(batch);
        writing += t.elapsed();
        written
    })?;
    let Some(site) = session.site() else {
        return Err(rebuilt.warnings);
    };
    let stats = rebuilt.stats;
    let mut warnings = rebuilt.warnings;
    let mut timings = rebuilt.timings;
    // A site whose every job was reused sends no batch: start the indexer now.
    let indexer = indexer.unwrap_or_else(|| search::Indexer::start(site));
    if let Some(indexer) = indexer {
        let (bundle, unread) = indexer.finish().map_err(|e| {
            let mut all = warnings.clone();
            all.push(e);
            all
        })?;
        warnings.extend(unread);
        deploy.add(site, &bundle);
        staging.write(&bundle).map_err(Diagnostics::from)?;
        timings.lap("search");
    }
    warnings.extend(deploy.finish(site));
    timings.add("(writing)", writing);
    let files = staging.paths().count();
    let cards = staging
        .paths()
        .filter(|p| p.starts_with(crate::output::CARDS_DIR))
        .count();
    let unchanged = staging.unchanged();
    staging.commit().map_err(Diagnostics::from)?;
    timings.lap("swap");
    // After the swap: a failed build keeps the cache it started from.
    warnings.extend(session.store_highlights());
    warnings.extend(session.prune_images());
    timings.lap("keep cache");
    let summary = Summary {
        pages: site.pages.len(),
        worksheets: site.pages.iter().filter(|p| p.worksheet.is_some()).count(),
        tags: site.tags.len(),
        cards,
        cards_drawn: stats.cards_drawn,
        elapsed: started.elapsed(),
        output: display_output(&options.root, &options.output),
        files,
        unchanged,
        code_blocks: (stats.code_blocks_highlighted, stats.code_blocks_found),
        timings,
        drafts_left_out: site.left_out().0,
        future_left_out: site.left_out().1,
    };
    free_in_background(session);
    Ok((summary, warnings))
}

/// Frees `session` (the model, every body, the caches) on a thread of its own. A one-shot
/// `sheaf build` ends right after, and the process's exit returns the memory at once:
/// freeing it piece by piece took the main thread 1.3 ms of a 100-page build's 80. In a
/// process that goes on (tests, `sheaf init`), the thread frees it while the caller moves
/// on. If no thread can be started, it is freed here.
fn free_in_background(session: Session) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(session));
}

fn display_output(root: &Path, output: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    output
        .strip_prefix(&cwd)
        .or_else(|_| output.strip_prefix(root))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| output.to_path_buf())
}

/// Prints diagnostics to stderr, errors and warnings in file order.
pub(crate) fn report(diagnostics: Diagnostics, color: bool) -> usize {
    let mut errors = 0;
    for d in diagnostics.sorted() {
        if d.is_error() {
            errors += 1;
        }
        eprintln!("{}\n", d.render(color));
    }
    errors
}

/// Used by `check` to reuse the whole pipeline without writing.
pub(crate) fn check(options: &BuildOptions) -> Result<Diagnostics, Diagnostics> {
    render(options).map(|mut b| {
        b.warnings.extend(deploy::check(&b.site, &b.files));
        b.warnings
    })
}
