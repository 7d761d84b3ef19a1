//! The `canvass` binary: parse the command line, run the command, map errors to exit codes
//! (0 success, 1 bad input or configuration, 2 usage error — clap's own).

use clap::Parser;

fn main() {
    let cli = canvass::cli::Cli::parse();
    if let Err(e) = canvass::commands::dispatch(cli.command) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
