//! Incremental rebuild cost, in process, without the watcher or HTTP: builds a site once,
//! then appends a line to one essay N times and rebuilds after each edit the way the live
//! preview does (the essay's page first, as if open in a browser, then the rest), printing
//! the median time of each stage. The file is restored at the end.
//!
//!     cargo bench --bench rebuild -- <site folder> [edits] [content-relative essay path]
//!
//! `scripts/bench-preview` measures what the writer sees (file write to browser event);
//! this isolates the rebuild itself, for profiling (`perf record` on this binary).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sheaf::build::{BuildOptions, Changes, Session, Urgent};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench rebuild -- <site folder> [edits] [essay path]");
        std::process::exit(2);
    };
    let root = root.canonicalize().expect("site folder");
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let mut session = Session::new(BuildOptions {
        output: root.join("public"),
        root: root.clone(),
        drafts: true,
        future: false,
        base_url: Some("http://127.0.0.1:1111/".into()),
        preview: true,
    });
    let started = Instant::now();
    let first = session.rebuild(&Changes::All).unwrap_or_else(|errors| {
        eprintln!(
            "the site does not build: {} problems",
            errors.sorted().len()
        );
        std::process::exit(1);
    });
    let site = session.site().expect("a model");
    println!(
        "clean build: {} pages, {} outputs in {:.0} ms",
        site.pages.len(),
        first.changed.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let page = match args.get(2) {
        Some(rel) => site.pages.iter().find(|p| p.doc.source.rel == *rel),
        None => site.pages.iter().find(|p| p.doc.front.date.is_some()),
    }
    .expect("the essay to edit");
    let essay = root.join("content").join(&page.doc.source.rel);
    let open = sheaf::render::html_path(&page.path);
    let original = std::fs::read_to_string(&essay).expect("essay");
    let mut stages: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    let mut totals = Vec::new();
    let mut firsts = Vec::new();
    let mut rendered = 0;
    for i in 0..edits {
        std::fs::write(&essay, format!("{original}\n\nEdit number {i}.\n")).expect("write");
        let started = Instant::now();
        let urgent = Urgent::Files([open.clone()].into());
        session
            .start(&Changes::Paths(vec![essay.clone()]), &urgent)
            .expect("rebuild");
        firsts.push(started.elapsed());
        let rebuilt = session.finish().expect("rebuild");
        totals.push(started.elapsed());
        rendered = rebuilt.rendered;
        for (stage, took) in rebuilt.timings.stages() {
            stages.entry(stage).or_default().push(*took);
        }
    }
    std::fs::write(&essay, original).expect("restore");
    println!(
        "{} edits of {} ({} jobs rendered each):",
        edits,
        essay.display(),
        rendered
    );
    for (stage, mut times) in stages {
        println!("  {stage:<10} p50 {:>7.1} ms", median(&mut times));
    }
    println!("  {:<10} p50 {:>7.1} ms", "page ready", median(&mut firsts));
    println!("  {:<10} p50 {:>7.1} ms", "total", median(&mut totals));
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}
