//! The live preview's search index, made in a child process: `sheaf __search-index <file>`,
//! the same binary, reads the pages on its standard input and writes the bundle to `<file>`.
//!
//! Why a process. Pagefind keeps every page until it writes the index (3.9 GiB for a
//! 10,000-page build), and in the preview's own process that peak stayed: the allocator kept
//! it after each index, so the preview grew with every pause in writing (479 MiB once built,
//! 1.2 GiB after eight saves at 10,000 pages, 4.9 GiB after fifty). A child gives its memory
//! back when it exits, runs at the lowest CPU priority without sharing the preview's
//! allocator, and is held still ([`Pause`]) while the preview rebuilds.
//!
//! The two ends speak a private format (`wire.rs` is its only definition): the parent and
//! the child are the same build of sheaf, and a child that is not (the binary replaced while
//! the preview runs) is found by the magic line and the preview indexes in its own process.
//! The child prints its warnings and errors on its own standard error, as the preview
//! would have.

mod pause;
mod wire;

use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

pub(crate) use pause::Pause;
use wire::{read_bundle, read_header, read_pages, send_pages, write_bundle};

use super::Pages;
use super::bundle::{self, Priority};
use crate::output::OutputFile;

/// The hidden command the child runs (`cli.rs`).
pub(crate) const COMMAND: &str = "__search-index";

/// How an index in a child ended.
pub(crate) enum Indexed {
    /// The bundle's files.
    Files(Vec<OutputFile>),
    /// The child reported its error on standard error (or died): the served index stays.
    Failed,
    /// No child could run this (no binary, or not one that speaks this format): index in
    /// this process instead.
    Unavailable(String),
}

/// Indexes `pages` in a child process, which `pause` holds still while the preview rebuilds;
/// `meanwhile` is called every few milliseconds until it exits.
pub(crate) fn index(
    pages: &Pages,
    quiet: bool,
    pause: &Pause,
    meanwhile: &mut dyn FnMut(),
) -> Indexed {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return Indexed::Unavailable(format!("sheaf's own binary is not found ({e})")),
    };
    let out = match ResultFile::new() {
        Ok(out) => out,
        Err(e) => return Indexed::Unavailable(format!("no file for the child's index ({e})")),
    };
    let mut command = Command::new(exe);
    if quiet {
        command.arg("--quiet");
    }
    command
        .arg(COMMAND)
        .arg(&out.0)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return Indexed::Unavailable(format!("a child process did not start ({e})")),
    };
    // A child that exits early (not sheaf, or failing) closes its end: the write fails,
    // and its status below says what happened. Never a SIGPIPE: `main` restores its
    // default action, which would end the preview itself.
    block_sigpipe_on_this_thread();
    if let Some(stdin) = child.stdin.take() {
        let _ = send_pages(pages, BufWriter::new(stdin));
    }
    let status = match pause.watch(&mut child, meanwhile) {
        Ok(status) => status,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Indexed::Unavailable(format!("the child process was lost ({e})"));
        }
    };
    match std::fs::File::open(&out.0).map(BufReader::new) {
        Ok(mut file) if status.success() => match read_bundle(&mut file) {
            Ok(files) => Indexed::Files(files),
            Err(e) => Indexed::Unavailable(format!("the child's index could not be read ({e})")),
        },
        // It started and said why it failed, on standard error.
        _ if status.code() == Some(1) => Indexed::Failed,
        _ => Indexed::Unavailable(format!("the child process ended with {status}")),
    }
}

/// Blocks SIGPIPE for the calling thread: a write to a pipe whose reader is gone then
/// fails with `EPIPE` instead of ending the process (the signal a write raises goes to the
/// thread that wrote, and stays pending while blocked). Other threads keep the default.
fn block_sigpipe_on_this_thread() {
    #[cfg(unix)]
    // SAFETY: the set is initialised by sigemptyset before use; pthread_sigmask only
    // changes the calling thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// The child's side: reads pages from standard input, indexes them at the lowest priority,
/// and writes the bundle to `out` (which the parent made, empty). Exit 1 after printing an
/// error.
pub(crate) fn run_child(out: &Path, quiet: bool) -> ExitCode {
    end_with_parent();
    let mut stdin = std::io::stdin().lock();
    let language = match read_header(&mut stdin) {
        Ok(language) => language,
        Err(e) => return child_error(&format!("the pages could not be read: {e}")),
    };
    drop(stdin);
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || read_pages(&mut std::io::stdin().lock(), &sender));
    let outcome = bundle::index(language, receiver, Priority::Background);
    match reader.join() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return child_error(&format!("the pages could not be read: {e}")),
        Err(_) => return child_error("the pages could not be read"),
    }
    let (files, warnings) = match outcome {
        Ok(done) => done,
        Err(e) => {
            eprintln!("{}\n", e.render(false));
            return ExitCode::from(1);
        }
    };
    if !quiet {
        for warning in warnings {
            eprintln!("{}\n", warning.render(false));
        }
    }
    let written = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(out)
        .and_then(|file| write_bundle(&files, BufWriter::new(file)));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => child_error(&format!("{} could not be written: {e}", out.display())),
    }
}

/// Makes the kernel end this child when the preview does (Linux): a child the preview held
/// still would otherwise stay stopped forever after a Ctrl-C.
fn end_with_parent() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl and getppid take and return plain integers.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        // The preview ended before the line above: nobody waits for this index.
        if libc::getppid() == 1 {
            std::process::exit(1);
        }
    }
}

fn child_error(message: &str) -> ExitCode {
    eprintln!("error: the preview's search index: {message}");
    ExitCode::from(1)
}

/// An empty file of this process's own for the child's result, removed when dropped. Made
/// here, never by the child, so it is a new file (not a link someone left in the temporary
/// folder) and a folder that cannot be written to is known before a child runs.
struct ResultFile(PathBuf);

impl ResultFile {
    fn new() -> std::io::Result<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let name = format!("sheaf-search-{}-{n}.bin", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(ResultFile(path))
    }
}

impl Drop for ResultFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::BufWriter;
    use std::process::{Command, Stdio};

    use super::block_sigpipe_on_this_thread;
    use super::wire::{send_pages, tests::pages};

    #[cfg(unix)]
    #[test]
    fn pages_sent_to_a_child_that_is_gone_are_an_error_not_a_signal() {
        // In a thread of its own, as the preview's search thread: only it is changed.
        std::thread::spawn(|| {
            block_sigpipe_on_this_thread();
            // SAFETY: reads the calling thread's mask into a zeroed set.
            let blocked = unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut set);
                libc::sigismember(&set, libc::SIGPIPE) == 1
            };
            assert!(blocked);
            let mut gone = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
            let stdin = gone.stdin.take().unwrap();
            gone.wait().unwrap();
            let mut many = pages();
            for _ in 0..12 {
                many.documents.extend(many.documents.clone());
            }
            assert!(send_pages(&many, BufWriter::new(stdin)).is_err());
        })
        .join()
        .unwrap();
    }
}
