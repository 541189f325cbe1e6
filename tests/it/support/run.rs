//! The one way the tests run the real `sheaf` binary: [`sheaf`] gives the command with a
//! predictable environment, [`Run`] what it did (exit, stdout, stderr, time taken).

use std::fmt;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

/// A `sheaf` command with a predictable environment: no colour, and no `SHEAF_BASE_URL`
/// leaking in from the caller's shell.
pub fn sheaf() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sheaf"));
    cmd.env("NO_COLOR", "1").env_remove("SHEAF_BASE_URL");
    cmd
}

/// `inner` run under `wrapper` (`timeout -s KILL 120`, `/usr/bin/time -f %M`): the wrapper's
/// arguments, then `inner`'s program and arguments, with `inner`'s environment changes and
/// working folder.
pub fn wrapped(mut wrapper: Command, inner: &Command) -> Command {
    wrapper.arg(inner.get_program()).args(inner.get_args());
    for (key, value) in inner.get_envs() {
        match value {
            Some(value) => wrapper.env(key, value),
            None => wrapper.env_remove(key),
        };
    }
    if let Some(dir) = inner.get_current_dir() {
        wrapper.current_dir(dir);
    }
    wrapper
}

/// What one run of a command did.
pub struct Run {
    pub status: ExitStatus,
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Runs `cmd` to the end, capturing its output.
    pub fn of(cmd: &mut Command) -> Run {
        let started = Instant::now();
        let output = cmd
            .output()
            .unwrap_or_else(|e| panic!("run {:?}: {e}", cmd.get_program()));
        Run {
            status: output.status,
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            elapsed: started.elapsed(),
        }
    }

    pub fn success(&self) -> bool {
        self.status.success()
    }

    /// Exit 0 and no panic; panics with everything printed otherwise.
    pub fn assert_success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "the command should succeed\n{self}");
        self.assert_no_panic()
    }

    /// Exit `code` and no panic.
    pub fn assert_exit(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "expected exit {code}\n{self}");
        self.assert_no_panic()
    }

    pub fn assert_no_panic(&self) -> &Run {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "sheaf panicked\n{self}"
        );
        self
    }
}

/// The exit and both streams, each cut at 4,000 bytes (some cases print megabytes).
impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = |s: &str| -> String {
            if s.len() > 4000 {
                let mut end = 4000;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}... ({} bytes)", &s[..end], s.len())
            } else {
                s.to_string()
            }
        };
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}
