//! A running `sheaf serve` for the serve tests (`serve*.rs`), spoken to over raw
//! HTTP/1.1: the real binary on a temporary copy of the basic fixture, with a base path
//! (`/sheaf/`). Every wait is bounded.

#![allow(dead_code)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const WAIT: Duration = Duration::from_secs(10);

/// A running `sheaf serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub site: TempDir,
    /// Every line the server printed so far, with when it was read.
    pub stdout: std::sync::Arc<std::sync::Mutex<Vec<(Instant, String)>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts on a free port, on a copy of site-basic served under `/sheaf/`.
    pub fn start() -> Server {
        Server::start_with(|_| {})
    }

    /// Like `start`, with `prepare` run on the copy first.
    pub fn start_with(prepare: impl FnOnce(&Path)) -> Server {
        Server::start_with_args(prepare, &[])
    }

    /// Like `start_with`, with extra `sheaf serve` arguments.
    pub fn start_with_args(prepare: impl FnOnce(&Path), args: &[&str]) -> Server {
        Server::start_with_env(prepare, args, &[])
    }

    /// Like `start_with_args`, with environment variables for the server (the test-only
    /// timeouts, `SHEAF_SERVE_WRITE_TIMEOUT_MS` and the like).
    pub fn start_with_env(
        prepare: impl FnOnce(&Path),
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let site = super::copy_fixture("site-basic");
        prepare(site.path());
        let config = site.path().join("config.yaml");
        let text = fs::read_to_string(&config).unwrap();
        fs::write(
            &config,
            text.replace(
                "base_url: https://example.org/",
                "base_url: https://example.org/sheaf/",
            ),
        )
        .unwrap();
        let mut child = super::sheaf()
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = printed.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    let addr = rest.split('/').next().unwrap().to_string();
                    let _ = tx.send(addr);
                }
                lines.lock().unwrap().push((Instant::now(), line));
            }
        });
        let addr = match rx.recv_timeout(WAIT) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("no `serving` line within {WAIT:?}");
            }
        };
        Server {
            child,
            addr,
            site,
            stdout: printed,
        }
    }

    /// When the server printed a line starting with `prefix`, if it has.
    pub fn printed(&self, prefix: &str) -> Option<Instant> {
        let lines = self.stdout.lock().unwrap();
        lines
            .iter()
            .find(|(_, line)| line.starts_with(prefix))
            .map(|(at, _)| *at)
    }

    /// Every line the server printed so far that starts with `prefix`, in order.
    pub fn printed_lines(&self, prefix: &str) -> Vec<String> {
        let lines = self.stdout.lock().unwrap();
        lines
            .iter()
            .filter(|(_, line)| line.starts_with(prefix))
            .map(|(_, line)| line.clone())
            .collect()
    }

    /// The server's process id, for `/proc/<pid>/…`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn path(&self, rel: &str) -> std::path::PathBuf {
        self.site.path().join(rel)
    }

    pub fn get(&self, path: &str) -> Response {
        let mut stream = self.connect(path);
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    /// Sends a GET and returns the open stream, positioned at the start of the response.
    pub fn connect(&self, path: &str) -> TcpStream {
        self.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Sends `request` as it is (a whole raw request head) and returns the open stream.
    pub fn send(&self, request: &str) -> TcpStream {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        stream
    }

    /// Sends `request` as it is and reads the whole response.
    pub fn raw(&self, request: &str) -> Response {
        let mut stream = self.send(request);
        let mut raw = Vec::new();
        // A reset after the response (the server closing a refused connection) is no error.
        let _ = stream.read_to_end(&mut raw);
        Response::parse(&raw)
    }

    /// Only the status of a GET of `path` (an event stream's response does not end).
    pub fn status(&self, path: &str) -> u16 {
        let mut stream = self.connect(path);
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => line.push(byte[0]),
                _ => break,
            }
        }
        Response::parse(&line).status
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Opens the event stream and waits until the server has subscribed it.
    pub fn events(&self) -> Events {
        let mut events = Events {
            stream: self.connect("/sheaf/__sheaf/events"),
            seen: String::new(),
        };
        events.wait_for("event: build");
        events
    }

    /// Polls `path` until `check` holds (a rebuild is asynchronous to the event).
    pub fn get_until(&self, path: &str, check: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if check(&r) || start.elapsed() > WAIT {
                return r;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).unwrap_or("0").parse().unwrap();
        Response {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            l.strip_prefix(name)
                .and_then(|r| r.strip_prefix(':'))
                .map(str::trim)
        })
    }
}

/// The SSE connection (events must carry a `data:` line: browsers drop events without one,
/// which once left the page never reloading although curl saw every event).; `seen` accumulates everything read so far.
pub struct Events {
    pub stream: TcpStream,
    pub seen: String,
}

impl Events {
    /// Reads until `needle` appears after what was already consumed; consumes through it.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        loop {
            if let Some(at) = self.seen.find(needle) {
                let rest = self.seen.split_off(at + needle.len());
                let upto = std::mem::replace(&mut self.seen, rest);
                // Return the event's data line (if any) that follows the needle.
                let data = self.seen.lines().find(|l| l.starts_with("data:"));
                return format!("{upto}{}", data.unwrap_or(""));
            }
            assert!(
                start.elapsed() < WAIT,
                "no {needle:?} within {WAIT:?}; got {:?}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed; got {:?}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) => panic!("reading events: {e}; got {:?}", self.seen),
            }
        }
    }
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A `/proc/<pid>/status` field in KiB (`VmRSS`, `VmHWM`).
pub fn status_kib(pid: u32, field: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// How many file descriptors the process has open (each client connection is one).
pub fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

/// Polls `done` until it holds or `limit` passes; returns whether it held.
pub fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
