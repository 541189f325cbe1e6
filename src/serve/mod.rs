//! `sheaf serve`: live preview (DESIGN section 7). Builds the site in memory, serves it under
//! its base path, rebuilds when a source changes and tells open pages over Server-Sent Events.
//! Nothing is written: not to `public/`, not to the source tree.
//!
//! Threads: the tokio runtime serves HTTP (`accept.rs`: hyper, with a header-read timeout);
//! one plain thread waits for file changes and runs the (blocking, rayon-parallel) build, then
//! swaps the new file map in and broadcasts.

mod accept;
mod guard;
mod http;
mod rebuild;
mod search;
mod site;
mod watch;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::body::Bytes;
use axum::routing::get;
use tokio::sync::broadcast;

use crate::build::{self, BuildOptions, Pending, Session};
use crate::config::{self, BaseUrlOverride};
use crate::diagnostic::Diagnostics;
use site::{Files, PREFIX};

/// What `sheaf serve` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
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
    /// The errors for the overlay: the whole `event: error` frame, formatted once for every
    /// stream (`http::error_event`).
    Error(Bytes),
}

/// The last good build, and the errors of the latest one (`[]` when it succeeded).
pub(crate) struct Current {
    pub(crate) files: Files,
    /// The errors as JSON, `[]` when none; shared bytes, so answering is not copying.
    pub(crate) errors: Bytes,
    /// Counts good builds (0: none yet). Pages carry the number they were served from, so
    /// one that missed a reload while connecting notices and reloads.
    pub(crate) build: u64,
    /// Files a rebuild has not brought up to date yet (it renders open pages first and
    /// tells them to reload, then the rest): requests for these wait for it.
    pub(crate) pending: Option<Pending>,
}

pub(crate) struct App {
    pub(crate) base_path: String,
    pub(crate) current: RwLock<Current>,
    pub(crate) events: broadcast::Sender<Push>,
    /// Pages open in a browser (file keys, with how many tabs show each): rendered first.
    pub(crate) open: Mutex<HashMap<String, usize>>,
    /// Bumped when a rebuild has no pending files left, and when its first step has
    /// swapped the open pages in (a request waiting for one of them looks again).
    pub(crate) settled: tokio::sync::watch::Sender<u64>,
    /// Pages requested while pending: the rebuild thread stops what it is rendering and
    /// renders these first (`rebuild.rs`).
    pub(crate) wanted: Mutex<Wanted>,
    /// Slots for event streams (`http::MAX_EVENT_STREAMS`).
    pub(crate) streams: Arc<tokio::sync::Semaphore>,
    /// Holds the search index's child process still while a rebuild runs (`search.rs`).
    pub(crate) search_pause: crate::search::child::Pause,
}

/// Pages requested while they were pending (file keys), and those a run was stopped for
/// but made no job for (a URL that will be a 404): asking for one of those again stops
/// nothing, so a client polling a missing page cannot keep the build from finishing.
#[derive(Default)]
pub(crate) struct Wanted {
    asked: HashSet<String>,
    unmade: HashSet<String>,
}

impl App {
    fn wanted(&self) -> std::sync::MutexGuard<'_, Wanted> {
        self.wanted.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks for `key` to be rendered before the rest of the run in progress.
    pub(crate) fn want(&self, key: &str) {
        let mut wanted = self.wanted();
        if !wanted.unmade.contains(key) {
            wanted.asked.insert(key.to_string());
        }
    }

    /// Whether a page was requested that no run has rendered yet.
    pub(crate) fn has_wanted(&self) -> bool {
        !self.wanted().asked.is_empty()
    }

    /// The pages requested so far, which the next run renders first.
    pub(crate) fn take_wanted(&self) -> HashSet<String> {
        std::mem::take(&mut self.wanted().asked)
    }

    /// Records which of the `asked` pages the run made no job for.
    pub(crate) fn unmade(&self, asked: HashSet<String>, made: &HashSet<String>) {
        let mut wanted = self.wanted();
        wanted
            .unmade
            .extend(asked.into_iter().filter(|k| !made.contains(k)));
    }

    /// After a change to the site, any URL may be made again.
    pub(crate) fn forget_unmade(&self) {
        self.wanted().unmade.clear();
    }
}

pub(crate) fn run(options: ServeOptions) -> ExitCode {
    crate::allocator::hold_less();
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
    let (search_sender, search_snapshots) = search::channel();
    let builder = rebuild::Builder {
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
        search: search_sender,
    };
    // Served at once: every request waits for its file while the first build runs, and a
    // requested page is rendered before the rest of the site (issue #19).
    let (events, _) = broadcast::channel(16);
    let app = Arc::new(App {
        base_path: base_path.clone(),
        current: RwLock::new(Current {
            build: 0,
            files: Files::default(),
            errors: Bytes::from_static(b"[]"),
            pending: Some(Pending::default()),
        }),
        events,
        open: Mutex::new(HashMap::new()),
        settled: tokio::sync::watch::Sender::new(0),
        streams: Arc::new(tokio::sync::Semaphore::new(http::MAX_EVENT_STREAMS)),
        wanted: Mutex::new(Wanted::default()),
        search_pause: Default::default(),
    });
    let voice = search::Voice {
        quiet: options.quiet,
        verbose: options.verbose,
    };
    search::start(app.clone(), search_snapshots, voice);
    let watched = watch::start(&root, options.poll)
        .map_err(|e| eprintln!("warning: not watching for changes: {e}"))
        .ok();
    let builder_app = app.clone();
    std::thread::spawn(move || rebuild::run(builder, watched, &builder_app));
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
        // Outside the routes, so it sees every request, the fallback's included.
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(guard::Guard::new(addr.ip(), addr.port(), &base_path)),
            guard::check_request,
        ))
        .layer(axum::middleware::map_response(http::no_store));
    tokio::select! {
        () = accept::serve(listener, router, accept::Timeouts::from_env()) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    ExitCode::SUCCESS
}
