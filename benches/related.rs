//! What related reading (`src/model/related.rs`) costs on a whole site: builds the site
//! once to get its model, then makes every page's related list anew, `runs` times, and
//! prints the median wall time (in parallel, as page jobs make them) and the candidates
//! visited.
//!
//!     cargo bench --bench related -- <site folder> [runs]
//!
//! A measurement, not a test: `scripts/gen-corpus --pages 10000` makes the usual corpus.

use std::path::PathBuf;
use std::time::Instant;

use sheaf::{BuildOptions, Changes, Session};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench related -- <site folder> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(10);
    let root = root.canonicalize().expect("site folder");
    let mut session = Session::new(BuildOptions {
        output: root.join("public"),
        root,
        drafts: false,
        future: false,
        base_url: None,
        preview: false,
    });
    if session.rebuild(&Changes::All).is_err() {
        eprintln!("the site does not build");
        std::process::exit(1);
    }
    let site = session.site().expect("a model");
    let mut times = Vec::with_capacity(runs);
    let mut shown = (0, 0, 0);
    for _ in 0..runs {
        let started = Instant::now();
        let (lists, visits) = sheaf::testing::related_lists(site);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let with_list = lists.iter().filter(|l| !l.is_empty()).count();
        shown = (lists.len(), with_list, visits);
    }
    times.sort_by(f64::total_cmp);
    let (pages, with_list, visits) = shown;
    println!(
        "related: {pages} pages ({with_list} with a list), {visits} candidates visited \
         ({:.0} a page); median {:.1} ms, min {:.1} ms over {runs} runs",
        visits as f64 / pages.max(1) as f64,
        times[times.len() / 2],
        times[0],
    );
}
