//! Progress of a run, as the library reports it: what each stage did, and how far a long
//! stage has got. The library only calls this trait; the command decides how to show it (bars
//! on a terminal, one line per stage otherwise, nothing with `--quiet`), so no terminal type
//! reaches a stage's API. Nothing reported here may reach an output file.

/// What a count of progress counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes of an export read (shown with MB/s).
    Bytes,
    /// Comments, restarts, files: plain counts.
    Items,
}

/// Where the library reports progress; implement it to show progress your own way
/// (`commands::progress` draws bars; [`Silent`] shows nothing). Methods take `&self` and the trait
/// is `Sync` because stages report from rayon threads.
pub trait Progress: Sync {
    /// A finished stage's line ("wave-1 score: unchanged, reused", "wave-1 themes: 1.2 s").
    fn line(&self, text: &str);

    /// Something the user should know and may act on, said as `warning: …` on the same channel
    /// as the stage lines (so `--quiet`, which shows only errors, hides it too).
    fn warn(&self, text: &str) {
        self.line(&format!("warning: {text}"));
    }

    /// A task that can take a while begins: `total` units of `unit`, if known.
    fn begin(&self, _task: &str, _total: Option<u64>, _unit: Unit) {}

    /// `n` more units of the current task are done (from any thread).
    fn advance(&self, _n: u64) {}

    /// The current task is done.
    fn end(&self) {}
}

/// Reports nothing (`--quiet`, `verify`'s re-run, tests).
pub struct Silent;

impl Progress for Silent {
    fn line(&self, _text: &str) {}
}
