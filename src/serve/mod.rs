//! `sheaf serve`: live preview (DESIGN section 7). Builds the site in memory, serves it under
//! its base path, rebuilds when a source changes and tells open pages over Server-Sent Events.
//! Nothing is written: not to `public/`, not to the source tree.
//!
//! Threads: the tokio runtime serves HTTP; one plain thread waits for file changes and runs
//! the (blocking, rayon-parallel) build, then swaps the new file map in and broadcasts.

mod http;
mod site;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::Router;
use axum::routing::get;
use tokio::sync::broadcast;

use crate::build::{self, BuildOptions, Changes, Rebuilt, Session};
use crate::config::{self, BaseUrlOverride};
use crate::diagnostic::Diagnostics;
use site::{Files, PREFIX, Update};
use watch::Batch;

/// What `sheaf serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port (the `serving` line says which).
    pub port: u16,
    pub bind: IpAddr,
    /// Poll the file system instead of using native change events.
    pub poll: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    pub quiet: bool,
    /// Print each rebuild's stage timings.
    pub verbose: bool,
    pub color: bool,
}

/// What open pages are told after a rebuild.
#[derive(Debug, Clone)]
pub(crate) enum Push {
    Reload,
    Css,
    /// The errors as JSON, for the overlay.
    Error(String),
}

/// The last good build, and the errors of the latest one (`[]` when it succeeded).
pub(crate) struct Current {
    pub(crate) files: Files,
    pub(crate) errors: String,
    /// Counts good builds (0: none yet). Pages carry the number they were served from, so
    /// one that missed a reload while connecting notices and reloads.
    pub(crate) build: u64,
}

pub(crate) struct App {
    pub(crate) base_path: String,
    pub(crate) current: RwLock<Current>,
    pub(crate) events: broadcast::Sender<Push>,
}

pub fn run(options: ServeOptions) -> ExitCode {
    let root = match options.root.canonicalize() {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: cannot open {}: {e}", options.root.display());
            return ExitCode::from(1);
        }
    };
    // The base path is fixed for the session: the server's routes are built from it.
    let base_path = match config::load(&root, &BaseUrlOverride::None) {
        Ok(config) => config.urls.base_path().to_string(),
        Err(errors) => {
            build::report(Diagnostics::from_iter(errors), options.color);
            return ExitCode::from(1);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(serve(root, base_path, options))
}

async fn serve(root: PathBuf, base_path: String, options: ServeOptions) -> ExitCode {
    let listener =
        match tokio::net::TcpListener::bind(SocketAddr::new(options.bind, options.port)).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!(
                    "error: cannot listen on {}:{}: {e}",
                    options.bind, options.port
                );
                return ExitCode::from(1);
            }
        };
    let addr = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(options.bind, options.port));
    let site_url = format!("http://{addr}{base_path}");
    let mut builder = Builder {
        session: Session::new(BuildOptions {
            output: root.join("public"),
            root: root.clone(),
            drafts: true,
            future: false,
            base_url: Some(site_url.clone()),
            preview: true,
        }),
        color: options.color,
        quiet: options.quiet,
        verbose: options.verbose,
    };
    let mut files = Files::default();
    let first_errors = match builder.build(&Changes::All) {
        Ok((update, _)) => {
            files.apply(update);
            "[]".to_string()
        }
        Err(errors) => errors,
    };
    let (events, _) = broadcast::channel(16);
    let app = Arc::new(App {
        base_path: base_path.clone(),
        current: RwLock::new(Current {
            build: u64::from(first_errors == "[]"),
            files,
            errors: first_errors,
        }),
        events,
    });
    match watch::start(&root, options.poll) {
        Ok((watcher, changes)) => {
            let app = app.clone();
            std::thread::spawn(move || rebuild_loop(builder, watcher, &app, &changes));
        }
        Err(e) => eprintln!("warning: not watching for changes: {e}"),
    }
    println!("serving {site_url} (Ctrl-C stops)");
    let _ = std::io::stdout().flush();
    if options.open {
        // A machine without a browser (CI, SSH) only gets a warning: the URL is printed.
        if let Err(e) = webbrowser::open(&site_url) {
            eprintln!("warning: could not open a browser: {e}");
        }
    }
    let router = Router::new()
        .route(&format!("{base_path}{PREFIX}live.js"), get(http::live_js))
        .route(
            &format!("{base_path}{PREFIX}events"),
            get(http::events_stream),
        )
        .route(&format!("{base_path}{PREFIX}errors"), get(http::errors))
        .fallback(http::serve_file)
        .with_state(app)
        .layer(axum::middleware::map_response(http::no_store));
    tokio::select! {
        result = axum::serve(listener, router) => {
            if let Err(e) = result {
                eprintln!("error: server stopped: {e}");
                return ExitCode::from(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
    ExitCode::SUCCESS
}

/// The preview's build session and how to report on it.
struct Builder {
    session: Session,
    color: bool,
    quiet: bool,
    verbose: bool,
}

impl Builder {
    /// Rebuilds in memory and prints what `sheaf build` would; returns the files to swap in,
    /// or the errors as overlay JSON.
    /// The model comes back too, for the caller to drop after the swap: freeing a large
    /// site takes time the browser should not wait for.
    fn build(&mut self, changes: &Changes) -> Result<(Update, Rebuilt), String> {
        let started = Instant::now();
        match self.session.rebuild(changes) {
            Ok(rebuilt) => {
                let update = Update::collect(&self.session, &rebuilt);
                if !self.quiet {
                    build::report(rebuilt.warnings.clone(), self.color);
                    for problem in &update.problems {
                        eprintln!("warning: {problem}");
                    }
                    println!(
                        "built {} pages in {} ms: {} of {} files changed",
                        rebuilt.site.pages.len(),
                        started.elapsed().as_millis(),
                        rebuilt.changed.len() + rebuilt.removed.len(),
                        self.session.files().count(),
                    );
                    if self.verbose {
                        rebuilt.timings.print();
                    }
                    let _ = std::io::stdout().flush();
                }
                Ok((update, rebuilt))
            }
            Err(diagnostics) => {
                let json = site::errors_json(&diagnostics);
                let errors = build::report(diagnostics, self.color);
                let problems = if errors == 1 { "problem" } else { "problems" };
                if self.session.files().next().is_some() {
                    eprintln!(
                        "error: {errors} {problems} found; still serving the last good build"
                    );
                } else {
                    eprintln!(
                        "error: {errors} {problems} found; the site appears once they are fixed"
                    );
                }
                Err(json)
            }
        }
    }
}

/// Rebuilds on every batch of changes; swaps the new files in only after the build has
/// finished, so a request never sees half a site, and tells the pages after that, so a
/// reload never meets the old page (or a 404) while the new one is on its way.
fn rebuild_loop(
    mut builder: Builder,
    mut watcher: watch::Watcher,
    app: &App,
    changes: &std::sync::mpsc::Receiver<Batch>,
) {
    while let Ok(mut batch) = changes.recv() {
        // Changes that arrived during the last build are folded into this one.
        while let Ok(more) = changes.try_recv() {
            batch.merge(more);
        }
        // A source folder made since the last build is watched from now on, and its files
        // (already there when the watch began) count as changed.
        batch.paths.extend(watcher.watch_new_dirs());
        let request = if batch.rescan {
            Changes::All
        } else {
            Changes::Paths(batch.paths.clone())
        };
        let result = builder.build(&request);
        let mut current = app.current.write().unwrap_or_else(|e| e.into_inner());
        let was_broken = current.errors != "[]";
        let mut finished = None;
        let push = match result {
            Ok((update, rebuilt)) => {
                finished = Some(rebuilt);
                current.files.apply(update);
                current.build += 1;
                current.errors = "[]".into();
                // After a failure the page needs a reload to drop the overlay.
                if batch.css_only && !was_broken {
                    Push::Css
                } else {
                    Push::Reload
                }
            }
            Err(errors) => {
                current.errors = errors.clone();
                Push::Error(errors)
            }
        };
        drop(current);
        let _ = app.events.send(push);
        drop(finished);
    }
}
