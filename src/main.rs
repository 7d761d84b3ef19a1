//! The `canvass` binary: parse the command line, run the command, map errors to exit codes
//! (0 success, 1 bad input or configuration, 2 usage error — clap's own).

use clap::Parser;

/// mimalloc instead of the system allocator: a run allocates millions of small strings (words,
/// cells, comments) across threads, and glibc's malloc and free took a fifth of a national
/// survey's CPU time (docs/benchmarks.md, "Fourth round").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's own setting of one of its options (linked in by the `mimalloc` crate, which
    /// does not wrap it without its `extended` feature).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// mimalloc's `mi_option_purge_delay`: the sixteenth option of `mimalloc.h` in both v3 (which
/// libmimalloc-sys builds) and v2.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// How long freed memory stays with the process before it is given back (milliseconds).
const PURGE_DELAY_MS: std::ffi::c_long = 100;

fn main() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts; Rust sets it to
    // "ignore", which turns a closed pipe into a panic in `println!`.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Memory freed is given back to the system after 100 ms rather than mimalloc's 10 or at
    // once: a national survey's stages free large blocks and allocate new ones soon after, and
    // each block given back is faulted in again. At 1M respondents "at once" cost 3 s of system
    // time; 100 ms keeps the 5M peak within 2 % of it (docs/benchmarks.md, "Tenth round").
    // MIMALLOC_PURGE_DELAY (or its older name), mimalloc's own variable, overrides it.
    let told = ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"];
    if told.iter().all(|v| std::env::var_os(v).is_none()) {
        // SAFETY: sets a plain integer option of the allocator linked in above, before any
        // thread starts.
        unsafe {
            mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
    let cli = canvass::cli::Cli::parse();
    if let Err(e) = canvass::cli::dispatch(cli.command) {
        eprintln!(
            "error: {}",
            canvass::commands::terminal_text(&e.to_string())
        );
        std::process::exit(1);
    }
}
