//! Command-line interface (DESIGN section 2). Exit codes: 0 success, 1 content or config
//! errors, 2 usage errors (clap's own).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions};
use crate::diagnostic::Diagnostics;
use crate::import;
use crate::linkcheck;
use crate::scaffold;
use crate::serve;

#[derive(Debug, Parser)]
#[command(
    name = "sheaf",
    version,
    about = "Static sites for essays and interactive worksheets",
    after_help = "Examples:
  sheaf init my-site                 Create a site in my-site/
  sheaf new essay \"On letters\"       Add content/essays/on-letters.md
  sheaf serve --open                 Preview with live reload at http://127.0.0.1:1111/
  sheaf check                        Report every problem without writing anything
  sheaf build -o public              Build the site into public/
  sheaf import zola ~/src/blog       Turn a Zola site into a sheaf site in ./blog-sheaf

Run `sheaf <command> --help` for a command's options and examples."
)]
pub(crate) struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more about what is happening.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site in DIR (default: the current folder).
    #[command(after_help = "Examples:
  sheaf init                 Create a site in the current (empty) folder
  sheaf init my-site         Create a site in my-site/
  sheaf init . --force       Add the site's files to a folder that already has some")]
    Init {
        /// The folder to create the site in (default: the current folder).
        dir: Option<PathBuf>,
        /// Write into a folder that is not empty (existing files are kept).
        #[arg(long)]
        force: bool,
    },
    /// Create a content file with its front matter filled in, and print its path.
    #[command(after_help = "Examples:
  sheaf new essay \"On letters\"        Write content/essays/on-letters.md
  sheaf new worksheet \"Habit audit\"   Write content/worksheets/habit-audit.md
  sheaf new essay Draft --root site   Create it in the site folder site/")]
    New {
        /// What to create: an essay, or an interactive worksheet.
        kind: NewKind,
        /// The page's title; its file name is made from it (`On letters` → `on-letters.md`).
        title: String,
        /// The site folder (holding config.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site into the output folder.
    #[command(after_help = "Examples:
  sheaf build                               Build into public/
  sheaf build -o _site --drafts             Build drafts too, into _site/
  sheaf build --base-url https://me.github.io/blog/   Build for GitHub Pages under /blog/")]
    Build(BuildArgs),
    /// Validate everything `build` validates, without writing any output.
    #[command(after_help = "Examples:
  sheaf check                     Report every problem in the site (exit 1 if any)
  sheaf check --external          Also request each link to another site
  sheaf check --root site --future   Check site/, future-dated pages included")]
    Check(CheckArgs),
    /// Preview the site (drafts included) and reload the browser when a file changes.
    #[command(after_help = "Examples:
  sheaf serve                     Preview at http://127.0.0.1:1111/
  sheaf serve --open --port 8000  Preview at port 8000 and open the browser
  sheaf serve --poll              Watch by polling (network drives, containers)")]
    Serve(ServeArgs),
    /// Turn a Jekyll, Hugo or Zola site into a sheaf site, keeping every old URL.
    #[command(after_help = "Examples:
  sheaf import zola ~/src/blog               Write the sheaf site into ./blog-sheaf
  sheaf import hugo site new-site --dry-run  Print the report, write nothing
  sheaf import jekyll . ../me-sheaf --categories extra   Keep categories apart from tags

SOURCE is never written to. The report lists what needs a person, located.")]
    Import(ImportArgs),
    /// The preview's search index, made in a child process (`search/child/`): pages on
    /// standard input, the bundle written to OUT. Not for people.
    #[command(name = "__search-index", hide = true)]
    SearchIndex {
        /// Where to write the bundle (an empty file the preview made).
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// What made the site.
    kind: ImportKind,
    /// The site's folder (holding `_config.yml`, `hugo.toml`/`config.toml`, or Zola's `config.toml`).
    source: PathBuf,
    /// Where to write the sheaf site (default: `./<SOURCE's folder name>-sheaf`).
    dest: Option<PathBuf>,
    /// Print the report without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// Write into a DEST that is not empty (files of the same name are replaced).
    #[arg(long)]
    force: bool,
    /// Where categories go: merged into tags, or kept as `extra.categories`.
    #[arg(long, value_enum, default_value = "tags")]
    categories: CategoriesTo,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ImportKind {
    /// A Jekyll site (GitHub Pages' default).
    Jekyll,
    /// A Hugo site.
    Hugo,
    /// A Zola site.
    Zola,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CategoriesTo {
    /// Categories become tags.
    Tags,
    /// Categories are kept as `extra.categories`.
    Extra,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The site folder (holding config.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on; only this machine by default.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Poll for changes instead of using the system's file events (network drives, containers).
    #[arg(long)]
    poll: bool,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NewKind {
    /// A page in content/essays/.
    Essay,
    /// An interactive worksheet in content/worksheets/.
    Worksheet,
}

#[derive(Debug, Args)]
struct SiteArgs {
    /// The site folder (holding config.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include pages dated in the future.
    #[arg(long)]
    future: bool,
    /// Override `base_url` from config.yaml (GitHub Pages: the URL configure-pages gives).
    #[arg(long, env = "SHEAF_BASE_URL")]
    base_url: Option<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also request every link to another site and report broken ones (needs the network).
    #[arg(long)]
    external: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Output folder (default: public/ in the site folder).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Replace the output folder even though sheaf did not write it (it has no
    /// `.sheaf-output` marker): everything in it is deleted. Needed once at most.
    #[arg(long)]
    force: bool,
}

impl SiteArgs {
    fn options(&self, output: Option<PathBuf>) -> BuildOptions {
        BuildOptions {
            output: output.unwrap_or_else(|| self.root.join("public")),
            root: self.root.clone(),
            drafts: self.drafts,
            future: self.future,
            // CI often sets SHEAF_BASE_URL to an empty value: that means "not set".
            base_url: self.base_url.clone().filter(|url| !url.trim().is_empty()),
            preview: false,
        }
    }
}

/// Colour only on a terminal, and never when NO_COLOR is set (any value).
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Runs the `sheaf` command line: parses the arguments, runs the command, prints its
/// diagnostics and returns the exit code (0 ok, 1 content errors, 2 usage).
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let color = use_color();
    let fail = |diagnostics: Diagnostics| {
        let errors = build::report(diagnostics, color);
        eprintln!(
            "error: {errors} {} found; nothing was written",
            if errors == 1 { "problem" } else { "problems" }
        );
        ExitCode::from(1)
    };
    // `check` writes nothing, so its closing line does not say so.
    let problems = |diagnostics: Diagnostics| {
        let errors = build::report(diagnostics, color);
        eprintln!(
            "error: {errors} {} found",
            if errors == 1 { "problem" } else { "problems" }
        );
        ExitCode::from(1)
    };
    // The commands that run once and exit take the faster allocator; the preview keeps the
    // system's, which holds less over hours (src/allocator.rs).
    if matches!(cli.command, Command::Build(_) | Command::Check(_)) {
        crate::allocator::use_mimalloc();
    }
    match cli.command {
        Command::Init { dir, force } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            match scaffold::init(&dir, force) {
                Ok(done) => {
                    if !cli.quiet {
                        for path in &done.written {
                            println!("created {}", path.display());
                        }
                        print!("{}", done.next_steps(&dir));
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(Diagnostics::from_iter([d])),
            }
        }
        Command::New { kind, title, root } => {
            let kind = match kind {
                NewKind::Essay => scaffold::NewKind::Essay,
                NewKind::Worksheet => scaffold::NewKind::Worksheet,
            };
            match scaffold::new_content(&root, kind, &title) {
                Ok(path) => {
                    println!("{}", path.display());
                    if !cli.quiet {
                        eprintln!(
                            "it is a draft (`draft: true`): `sheaf serve` shows it, `sheaf build` leaves it out; remove that line to publish it"
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(Diagnostics::from_iter([d])),
            }
        }
        Command::Build(args) => match build::build(&args.site.options(args.output), args.force) {
            Ok((summary, warnings)) => {
                if !cli.quiet {
                    build::report(warnings, color);
                    if cli.verbose {
                        summary.timings.print();
                        eprintln!(
                            "  {} files written, {} of them unchanged",
                            summary.files, summary.unchanged
                        );
                        let (made, found) = summary.code_blocks;
                        eprintln!("  {made} code blocks highlighted, {found} found in the cache");
                    }
                    println!("{summary}");
                }
                ExitCode::SUCCESS
            }
            Err(diagnostics) => fail(diagnostics),
        },
        Command::Serve(args) => serve::run(serve::ServeOptions {
            root: args.root,
            port: args.port,
            bind: args.bind,
            poll: args.poll,
            open: args.open,
            quiet: cli.quiet,
            verbose: cli.verbose,
            color,
        }),
        Command::SearchIndex { out } => crate::search::child::run_child(&out, cli.quiet),
        Command::Import(args) => {
            let dialect = match args.kind {
                ImportKind::Jekyll => import::Dialect::Jekyll,
                ImportKind::Hugo => import::Dialect::Hugo,
                ImportKind::Zola => import::Dialect::Zola,
            };
            let dest = args
                .dest
                .unwrap_or_else(|| import::default_dest(&args.source));
            let options = import::Options {
                dry_run: args.dry_run,
                force: args.force,
                categories_as_tags: matches!(args.categories, CategoriesTo::Tags),
                workflow: scaffold::pages_workflow(),
            };
            match import::run(dialect, &args.source, &dest, &options) {
                Ok(report) => {
                    if !cli.quiet {
                        print!("{report}");
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    build::report(failure.diagnostics, color);
                    ExitCode::from(failure.exit)
                }
            }
        }
        Command::Check(args) if args.external => {
            let options = args.site.options(None);
            match linkcheck::check_site(&options, &linkcheck::Settings::default()) {
                Ok((warnings, report)) => {
                    if !cli.quiet {
                        build::report(warnings, color);
                        println!(
                            "no problems found ({} {} to {} {} checked)",
                            report.links,
                            if report.links == 1 { "link" } else { "links" },
                            report.hosts,
                            if report.hosts == 1 { "site" } else { "sites" },
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => problems(diagnostics),
            }
        }
        Command::Check(args) => match build::check(&args.site.options(None)) {
            Ok(warnings) => {
                if !cli.quiet {
                    build::report(warnings, color);
                    println!("no problems found");
                }
                ExitCode::SUCCESS
            }
            Err(diagnostics) => problems(diagnostics),
        },
    }
}
