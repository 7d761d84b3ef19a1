//! The `canvass` binary: parse the command line, run the command, map errors to exit codes
//! (0 success, 1 bad input or configuration, 2 usage error — clap's own).

use clap::Parser;

/// mimalloc instead of the system allocator: a run allocates millions of small strings (words,
/// cells, comments) across threads, and glibc's malloc and free took a fifth of a national
/// survey's CPU time (docs/benchmarks.md, "Fourth round").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts; Rust sets it to
    // "ignore", which turns a closed pipe into a panic in `println!`.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
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
