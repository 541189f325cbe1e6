//! Holds the indexing child still while the preview rebuilds (`SIGSTOP`/`SIGCONT`).

use std::io;
use std::process::{Child, ExitStatus};
use std::sync::Mutex;
use std::time::Duration;

/// How often the parent looks whether the child has exited.
const POLL: Duration = Duration::from_millis(20);

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
    pub(super) fn watch(
        &self,
        child: &mut Child,
        meanwhile: &mut dyn FnMut(),
    ) -> io::Result<ExitStatus> {
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::process::Command;
    use std::time::Duration;

    use super::Pause;

    /// A process's state letter from `/proc` (`T` stopped, `S` sleeping, `R` running).
    fn state(pid: u32) -> char {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        stat.rsplit(')')
            .next()
            .and_then(|rest| rest.trim().chars().next())
            .unwrap_or('?')
    }

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
}
