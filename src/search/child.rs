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
//! The two ends speak a private format (this file is its only definition): the parent and
//! the child are the same build of sheaf, and a child that is not (the binary replaced while
//! the preview runs) is found by the magic line and the preview indexes in its own process.
//!
//! Standard input, from the parent: `MAGIC`, then per page `1`, its URL, its source path,
//! whether it is a worksheet (one byte), its HTML (one byte, `1` when packed, then the
//! bytes), and `0` after the last page. The file, from the child: `MAGIC`, then per bundle
//! file `1`, its path and its bytes, and `0` after the last. Strings and byte runs are a
//! little-endian `u64` length and the bytes. The child prints its warnings and errors on its
//! own standard error, as the preview would have.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use super::bundle::{self, Priority};
use super::{Document, Pages};
use crate::output::{Contents, OutputFile};
use crate::packed::Packed;

/// The hidden command the child runs (`cli.rs`).
pub(crate) const COMMAND: &str = "__search-index";

/// First line of both streams: which format this is.
const MAGIC: &[u8] = b"sheaf search index 1\n";

/// How often the parent looks whether the child has exited.
const POLL: Duration = Duration::from_millis(20);

/// The longest string or byte run either end accepts: far above any page or bundle file,
/// so a damaged stream is an error, not an allocation of its length.
const MAX_RUN: u64 = 1 << 32;

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

/// Holds the indexing child still while the preview rebuilds: at the lowest priority it
/// still took a core whenever a rebuild left one idle, and on two cores (often two threads
/// of one) that slowed every save by a third. Stopped, it keeps what it has done, and goes
/// on once the rebuild is over. (Only where processes can be stopped: Unix.)
#[derive(Default)]
pub(crate) struct Pause(Mutex<Held>);

#[derive(Default)]
struct Held {
    /// Whether a rebuild is running.
    held: bool,
    /// The child being watched, while it runs (its pid is ours until it is reaped, and it
    /// is only reaped under this lock, so a signal never reaches another process).
    child: Option<u32>,
}

impl Pause {
    /// A rebuild starts: stop the child, if one runs.
    pub(crate) fn hold(&self) {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        held.held = true;
        if let Some(pid) = held.child {
            signal(pid, Signal::Stop);
        }
    }

    /// The rebuild is over: let the child go on.
    pub(crate) fn release(&self) {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        held.held = false;
        if let Some(pid) = held.child {
            signal(pid, Signal::Continue);
        }
    }

    /// Waits for `child` to exit, holding it still whenever a rebuild runs, and calling
    /// `meanwhile` at each look.
    fn watch(
        &self,
        child: &mut std::process::Child,
        meanwhile: &mut dyn FnMut(),
    ) -> io::Result<std::process::ExitStatus> {
        let pid = child.id();
        {
            let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
            held.child = Some(pid);
            if held.held {
                signal(pid, Signal::Stop);
            }
        }
        loop {
            let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let exited = child.try_wait();
            if !matches!(exited, Ok(None)) {
                held.child = None;
            }
            drop(held);
            match exited {
                Ok(Some(status)) => return Ok(status),
                Ok(None) => {
                    meanwhile();
                    std::thread::sleep(POLL);
                }
                Err(e) => {
                    signal(pid, Signal::Continue);
                    return Err(e);
                }
            }
        }
    }
}

enum Signal {
    Stop,
    Continue,
}

fn signal(pid: u32, signal: Signal) {
    #[cfg(unix)]
    {
        let signal = match signal {
            Signal::Stop => libc::SIGSTOP,
            Signal::Continue => libc::SIGCONT,
        };
        if let Ok(pid) = libc::pid_t::try_from(pid) {
            // SAFETY: kill takes plain integers. `pid` is our child, not yet reaped (see
            // `Held::child`); a failure (it just exited) changes nothing.
            unsafe {
                libc::kill(pid, signal);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (pid, signal);
}

/// The child's side: reads pages from standard input, indexes them at the lowest priority,
/// and writes the bundle to `out` (which the parent made, empty). Exit 1 after printing an
/// error.
pub(crate) fn run_child(out: &Path, quiet: bool) -> ExitCode {
    end_with_parent();
    let mut stdin = io::stdin().lock();
    let language = match read_header(&mut stdin) {
        Ok(language) => language,
        Err(e) => return child_error(&format!("the pages could not be read: {e}")),
    };
    drop(stdin);
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || read_pages(&mut io::stdin().lock(), &sender));
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
    fn new() -> io::Result<Self> {
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

fn send_pages(pages: &Pages, mut to: impl Write) -> io::Result<()> {
    to.write_all(MAGIC)?;
    write_run(&mut to, pages.language.as_bytes())?;
    for page in &pages.documents {
        to.write_all(&[1])?;
        write_run(&mut to, page.url.as_bytes())?;
        write_run(&mut to, page.source.as_bytes())?;
        to.write_all(&[u8::from(page.worksheet)])?;
        match &page.html {
            Contents::Packed(packed) => {
                to.write_all(&[1])?;
                write_run(&mut to, packed.block())?;
            }
            other => {
                to.write_all(&[0])?;
                write_run(&mut to, &other.bytes().unwrap_or_default())?;
            }
        }
    }
    to.write_all(&[0])?;
    to.flush()
}

/// Reads the start of what [`send_pages`] wrote: the language to index in.
fn read_header(from: &mut impl Read) -> io::Result<String> {
    expect_magic(from)?;
    read_string(from)
}

/// Reads the rest of what [`send_pages`] wrote, handing each page to `pages` as it comes.
fn read_pages(from: &mut impl Read, pages: &mpsc::Sender<Document>) -> io::Result<()> {
    while read_byte(from)? == 1 {
        let url = read_string(from)?;
        let source = read_string(from)?;
        let worksheet = read_byte(from)? == 1;
        let packed = read_byte(from)? == 1;
        let bytes = read_run(from)?;
        let html = match packed {
            true => Contents::Packed(Packed::from_block(&bytes)),
            false => Contents::Bytes(bytes.into()),
        };
        let document = Document {
            url,
            html,
            worksheet,
            source,
        };
        if pages.send(document).is_err() {
            break;
        }
    }
    Ok(())
}

fn write_bundle(files: &[OutputFile], mut to: impl Write) -> io::Result<()> {
    to.write_all(MAGIC)?;
    for file in files {
        to.write_all(&[1])?;
        write_run(&mut to, file.path.as_bytes())?;
        write_run(&mut to, &file.contents.bytes().unwrap_or_default())?;
    }
    to.write_all(&[0])?;
    to.flush()
}

fn read_bundle(from: &mut impl Read) -> io::Result<Vec<OutputFile>> {
    expect_magic(from)?;
    let mut files = Vec::new();
    while read_byte(from)? == 1 {
        let path = read_string(from)?;
        let bytes = read_run(from)?;
        files.push(OutputFile {
            path,
            contents: Contents::Bytes(bytes.into()),
        });
    }
    Ok(files)
}

fn expect_magic(from: &mut impl Read) -> io::Result<()> {
    let mut magic = [0; MAGIC.len()];
    from.read_exact(&mut magic)?;
    match magic == MAGIC {
        true => Ok(()),
        false => Err(invalid("not a sheaf search index stream of this version")),
    }
}

fn write_run(to: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    to.write_all(&(bytes.len() as u64).to_le_bytes())?;
    to.write_all(bytes)
}

fn read_byte(from: &mut impl Read) -> io::Result<u8> {
    let mut byte = [0];
    from.read_exact(&mut byte)?;
    Ok(byte[0])
}

fn read_run(from: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0; 8];
    from.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > MAX_RUN {
        return Err(invalid("a length past any page"));
    }
    let mut bytes = Vec::new();
    from.take(len).read_to_end(&mut bytes)?;
    match bytes.len() as u64 == len {
        true => Ok(bytes),
        false => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

fn read_string(from: &mut impl Read) -> io::Result<String> {
    String::from_utf8(read_run(from)?).map_err(|_| invalid("a name that is not UTF-8"))
}

fn invalid(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Pages {
        let html = "<html><body><main data-pagefind-body><p>Hello</p></main></body></html>";
        let long = html.repeat(20);
        Pages {
            language: "en".into(),
            documents: vec![
                Document {
                    url: "/a/".into(),
                    html: Contents::Bytes(html.as_bytes().to_vec().into()),
                    worksheet: false,
                    source: "content/a.md".into(),
                },
                Document {
                    url: "/b/".into(),
                    html: Contents::Packed(Packed::pack(long.as_bytes()).unwrap()),
                    worksheet: true,
                    source: "content/b.md".into(),
                },
            ],
        }
    }

    #[test]
    fn pages_cross_the_pipe_as_they_were() {
        let mut wire = Vec::new();
        send_pages(&pages(), &mut wire).unwrap();
        let (sender, receiver) = mpsc::channel();
        let mut from = wire.as_slice();
        assert_eq!(read_header(&mut from).unwrap(), "en");
        read_pages(&mut from, &sender).unwrap();
        drop(sender);
        let got: Vec<Document> = receiver.iter().collect();
        let sent = pages();
        assert_eq!(got.len(), 2);
        for (got, sent) in got.iter().zip(&sent.documents) {
            assert_eq!(got.url, sent.url);
            assert_eq!(got.source, sent.source);
            assert_eq!(got.worksheet, sent.worksheet);
            assert_eq!(got.html.bytes(), sent.html.bytes());
        }
    }

    #[test]
    fn a_bundle_crosses_the_file_as_it_was() {
        let files = vec![OutputFile {
            path: "pagefind/pagefind.js".into(),
            contents: Contents::Bytes(b"x".to_vec().into()),
        }];
        let mut wire = Vec::new();
        write_bundle(&files, &mut wire).unwrap();
        let read = read_bundle(&mut wire.as_slice()).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].path, "pagefind/pagefind.js");
        assert_eq!(read[0].contents.bytes().unwrap().as_ref(), b"x");
    }

    #[test]
    fn a_damaged_or_foreign_stream_is_an_error_not_a_panic() {
        let mut wire = Vec::new();
        send_pages(&pages(), &mut wire).unwrap();
        let read_all = |mut from: &[u8]| {
            let (sender, _receiver) = mpsc::channel();
            read_header(&mut from).and_then(|_| read_pages(&mut from, &sender))
        };
        for cut in [0, 5, MAGIC.len() + 3, wire.len() / 2, wire.len() - 1] {
            assert!(read_all(&wire[..cut]).is_err(), "cut at {cut}");
        }
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(read_all(&huge).is_err());
        assert!(read_bundle(&mut &b"running on port 1111\n"[..]).is_err());
    }

    /// A process's state letter from `/proc` (`T` stopped, `S` sleeping, `R` running).
    #[cfg(target_os = "linux")]
    fn state(pid: u32) -> char {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        stat.rsplit(')')
            .next()
            .and_then(|rest| rest.trim().chars().next())
            .unwrap_or('?')
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_held_child_is_stopped_and_goes_on_when_released() {
        let pause = Pause::default();
        pause.hold();
        let mut child = Command::new("sleep").arg("0.3").spawn().unwrap();
        let pid = child.id();
        std::thread::scope(|scope| {
            let watching = scope.spawn(|| pause.watch(&mut child, &mut || {}));
            let started = std::time::Instant::now();
            while state(pid) != 'T' {
                assert!(started.elapsed() < Duration::from_secs(5), "never stopped");
                std::thread::sleep(Duration::from_millis(5));
            }
            // Well past its 0.3 s: stopped, it has not run them.
            std::thread::sleep(Duration::from_millis(800));
            assert_eq!(state(pid), 'T');
            pause.release();
            let status = watching.join().unwrap().unwrap();
            assert!(status.success());
        });
        // Held again with no child: nothing to stop, and nothing is signalled.
        pause.hold();
        pause.release();
    }

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
