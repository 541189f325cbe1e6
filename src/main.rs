/// mimalloc for `build` and `check`, the system's allocator for the preview: see
/// `src/allocator.rs`.
#[global_allocator]
static ALLOCATOR: sheaf::allocator::PerCommand = sheaf::allocator::PerCommand;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    sheaf::run()
}

/// Lets a closed pipe end the process quietly, as it ends `cat` or `grep`.
///
/// Rust ignores SIGPIPE, so a write to a closed pipe (`sheaf build 2>&1 | head`) returns an
/// error, and `println!`/`eprintln!` panic on it (exit 101 with a panic message). With the
/// default action the kernel ends the process at that write, silently. Sockets are not
/// affected: the standard library sends on them with `MSG_NOSIGNAL`, so a browser closing
/// a connection to `sheaf serve` is still an ordinary error.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists; `signal` with
    // `SIG_DFL` installs no handler code.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
