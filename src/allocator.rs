//! The process's allocator: mimalloc for the commands that run once and exit (`build`,
//! `check`), the system's for everything else, the long-running preview above all.
//!
//! Why two. A cold build allocates a few hundred thousand short-lived objects on every
//! worker while it holds the site's sources and bodies. glibc's per-thread arenas then
//! fault in four times the pages the floor does; mimalloc makes a 100-page build 9 to 12%
//! faster (ARCHITECTURE.md, "One allocator per command"). But mimalloc keeps more memory
//! resident over a long run: `sheaf serve` at 50,000 pages held 2,133 MiB under it and
//! 1,883 under glibc, against a goal of 2 GiB. So the command decides, once, as soon as
//! it is known (`use_mimalloc`), and the allocator routes by that decision.
//!
//! On musl (the static release binaries) mimalloc also replaces `malloc` itself (the
//! `override` feature, Cargo.toml), since musl's allocator made every command slow: a cold
//! 100-page build took 125 ms there against 68 on glibc, 78 with the override. The system
//! allocator this module routes to is then mimalloc as well, the preview's included; the
//! preview asks it to hold less (`hold_less`), and a 50,000-page preview holds 2,007 to
//! 2,027 MiB (1,967 under musl's malloc, 2,110 to 2,140 under mimalloc's defaults).
//!
//! A pointer allocated before the switch (the arguments, clap's parse) belongs to the
//! system allocator and must go back to it. `dealloc` and `realloc` therefore ask mimalloc
//! whether a pointer is its own (`mi_is_in_heap_region`: a bounds check and two loads in
//! its page map, false for everything while mimalloc has never allocated). The switch
//! only ever goes one way, so a pointer's owner never changes under it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

/// Set once a command that runs once and exits has started; never cleared.
static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// Routes every allocation from now on to mimalloc. Called by `build` and `check` before
/// they load the site; a no-op in processes (tests) that do not install [`PerCommand`].
pub(crate) fn use_mimalloc() {
    MIMALLOC.store(true, Ordering::Relaxed);
}

/// Asks the allocator to hold as little as it can: for the long-running preview. Only on
/// musl, where the preview's allocator is mimalloc (the override above): freed memory goes
/// back to the system at once rather than after 10 ms, and no more transparent huge pages
/// are taken (a 2 MB page counts whole however little of it is used). A 50,000-page
/// preview held 2,110 to 2,140 MiB there before, 2,005 with both. Elsewhere the preview's
/// allocator is the system's, and this does nothing.
pub(crate) fn hold_less() {
    #[cfg(all(target_env = "musl", target_os = "linux"))]
    // SAFETY: `prctl(PR_SET_THP_DISABLE)` only changes how later page faults are served;
    // `mi_option_set` takes any option number and value.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

/// mimalloc v2's `mi_option_purge_delay` (its `mimalloc.h`), which libmimalloc-sys does not
/// name. A test holds the number to the option's default (10 ms).
#[cfg_attr(not(all(target_env = "musl", target_os = "linux")), allow(dead_code))]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The global allocator `main.rs` installs: mimalloc once [`use_mimalloc`] was called,
/// the system's before and otherwise.
pub struct PerCommand;

/// Whether mimalloc allocated `ptr`. Relaxed is enough: a pointer mimalloc made reaches
/// another thread only through a synchronizing hand-off, which also carries the store.
fn is_mimallocs(ptr: *mut u8) -> bool {
    // SAFETY: `mi_is_in_heap_region` reads mimalloc's page map for any address, owned or
    // not, and answers false before mimalloc is initialised.
    MIMALLOC.load(Ordering::Relaxed) && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: every block is freed or resized by the allocator that made it: `is_mimallocs`
// tells them apart, and blocks are never handed from one allocator to the other.
unsafe impl GlobalAlloc for PerCommand {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc(layout) }
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_mimallocs(ptr) {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if is_mimallocs(ptr) {
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `MI_OPTION_PURGE_DELAY` is mimalloc's purge delay: the option of that number has
    /// its default, 10 ms (and the eager-commit delay before it, 1).
    #[test]
    fn the_purge_delay_option_is_the_one_we_name() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        let get = |option| unsafe { libmimalloc_sys::mi_option_get(option) };
        assert_eq!(get(MI_OPTION_PURGE_DELAY), 10);
        assert_eq!(
            MI_OPTION_PURGE_DELAY - 1,
            libmimalloc_sys::mi_option_eager_commit_delay
        );
    }

    /// The switch in the middle of a run: a block the system allocator made before it is
    /// freed and resized by the system allocator after it, and new blocks are mimalloc's.
    /// (The test process's own global allocator is the system's; `PerCommand` is called
    /// directly, and nothing else in the library's tests flips the switch.)
    #[test]
    fn every_block_goes_back_to_the_allocator_that_made_it() {
        let layout = Layout::from_size_align(48, 16).unwrap();
        let owned = |p: *mut u8| unsafe { libmimalloc_sys::mi_is_in_heap_region(p.cast()) };
        unsafe {
            let before = PerCommand.alloc(layout);
            let resized_before = PerCommand.alloc(layout);
            assert!(!before.is_null() && !owned(before));
            before.write_bytes(7, 48);
            resized_before.write_bytes(9, 48);

            use_mimalloc();
            let after = PerCommand.alloc_zeroed(layout);
            assert!(owned(after), "a block made after the switch is mimalloc's");
            assert!((0..48).all(|i| *after.add(i) == 0));

            let grown = PerCommand.realloc(resized_before, layout, 4096);
            assert!(
                !owned(grown),
                "a system block stays with the system when resized"
            );
            assert!(
                (0..48).all(|i| *grown.add(i) == 9),
                "resizing keeps the bytes"
            );
            let grown_after = PerCommand.realloc(after, layout, 4096);
            assert!(owned(grown_after));

            PerCommand.dealloc(before, layout);
            PerCommand.dealloc(grown, Layout::from_size_align(4096, 16).unwrap());
            PerCommand.dealloc(grown_after, Layout::from_size_align(4096, 16).unwrap());
        }
    }
}
