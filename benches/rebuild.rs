//! Incremental rebuild cost, in process, without the watcher or HTTP. Builds a site once,
//! then times rebuilds the way the live preview runs them (the edited page first, as if
//! open in a browser, then the rest of the site) for three kinds of change:
//!
//! - a text edit: a line appended to one essay, N times;
//! - a new tagged essay: a file added (and removed again between runs);
//! - a template edit: a comment added to `templates/page.html` (made from the built-in
//!   theme's if the site has none).
//!
//! Prints the median of each stage. Every file it touches is restored at the end.
//!
//!     cargo bench --bench rebuild -- <site folder> [runs] [content-relative essay path]
//!
//! `scripts/bench-preview` measures what the writer sees (file write to browser event);
//! this isolates the rebuild itself, for profiling (`perf record` on this binary).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sheaf::{BuildOptions, Changes, RunStats, Session, Urgent};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench rebuild -- <site folder> [runs] [essay path]");
        std::process::exit(2);
    };
    let root = root.canonicalize().expect("site folder");
    let runs: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let template = root.join("templates/page.html");
    let made_template = !template.exists();
    if made_template {
        std::fs::create_dir_all(template.parent().unwrap()).expect("templates/");
        std::fs::write(
            &template,
            include_str!("../themes/default/templates/page.html"),
        )
        .expect("templates/page.html");
    }
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
    let open = sheaf::testing::html_path(&page.path);
    let urgent = Urgent::Files([open].into());
    let original = std::fs::read_to_string(&essay).expect("essay");
    let new_essay = |i: usize| essay.with_file_name(format!("bench-rebuild-new-{i}.md"));
    let template_text = std::fs::read_to_string(&template).expect("template");

    let mut bench = Bench::new(&mut session, &urgent);
    bench.scenario("text edit", runs, |i| {
        std::fs::write(&essay, format!("{original}\n\nEdit number {i}.\n")).expect("write");
        vec![essay.clone()]
    });
    let new_runs = runs.div_ceil(4);
    bench.scenario("new tagged essay", new_runs, |i| {
        let text = format!("---\ntitle: New {i}\ndate: 2024-06-01\ntags: [bench-new]\n---\nNew.\n");
        std::fs::write(new_essay(i), text).expect("write");
        vec![new_essay(i)]
    });
    bench.scenario("template edit", runs.div_ceil(4), |i| {
        let marked = template_text.replacen("{% endblock", &format!("<!-- {i} -->{{% endblock"), 1);
        std::fs::write(&template, marked).expect("write");
        vec![template.clone()]
    });
    std::fs::write(&essay, original).expect("restore");
    std::fs::write(&template, template_text).expect("restore");
    for i in 0..new_runs {
        let _ = std::fs::remove_file(new_essay(i));
    }
    if made_template {
        let _ = std::fs::remove_file(&template);
        let _ = std::fs::remove_dir(template.parent().unwrap());
    }
}

struct Bench<'a> {
    session: &'a mut Session,
    urgent: &'a Urgent,
}

impl<'a> Bench<'a> {
    fn new(session: &'a mut Session, urgent: &'a Urgent) -> Self {
        Bench { session, urgent }
    }

    /// Runs `change` then a rebuild, `runs` times, and prints the stage medians.
    fn scenario(&mut self, name: &str, runs: usize, mut change: impl FnMut(usize) -> Vec<PathBuf>) {
        let mut stages: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
        let (mut firsts, mut totals) = (Vec::new(), Vec::new());
        let mut stats = RunStats::default();
        for i in 0..runs {
            let paths = change(i);
            let started = Instant::now();
            let first = self
                .session
                .start(&Changes::Paths(paths), self.urgent)
                .expect("rebuild");
            firsts.push(started.elapsed());
            let rebuilt = first.finish().expect("rebuild");
            totals.push(started.elapsed());
            stats = rebuilt.stats;
            for (stage, took) in rebuilt.timings.stages() {
                stages.entry(stage).or_default().push(*took);
            }
        }
        println!(
            "{name}, {runs} runs (the last: {} of {} jobs and {} bodies rendered):",
            stats.jobs_rendered, stats.jobs_planned, stats.bodies_rendered
        );
        for (stage, mut times) in stages {
            println!("  {stage:<12} p50 {:>8.1} ms", median(&mut times));
        }
        println!("  {:<12} p50 {:>8.1} ms", "page ready", median(&mut firsts));
        println!("  {:<12} p50 {:>8.1} ms", "site ready", median(&mut totals));
    }
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}
