//! How a command shows the library's progress on standard error: bars on a terminal, a line
//! per stage with its time otherwise. Standard output and the files written never see it.

use crate::progress::{Progress, Unit};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

pub fn on_stderr() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bars::default())
    } else {
        Box::new(Lines)
    }
}

/// One line per stage (a log, a CI job, a pipe).
struct Lines;

impl Progress for Lines {
    fn line(&self, text: &str) {
        eprintln!("{text}");
    }
}

/// A bar (or a spinner, when the total is unknown) for the task under way.
#[derive(Default)]
struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn bar(&self) -> Option<ProgressBar> {
        self.current.lock().ok().and_then(|b| b.clone())
    }
}

impl Progress for Bars {
    fn line(&self, text: &str) {
        match self.bar() {
            Some(b) => b.println(text),
            None => eprintln!("{text}"),
        }
    }

    fn begin(&self, task: &str, total: Option<u64>, unit: Unit) {
        let template = match (total, unit) {
            (Some(_), Unit::Bytes) => {
                "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {elapsed}"
            }
            (Some(_), Unit::Items) => "{msg} [{bar:30}] {pos}/{len} {elapsed}",
            (None, Unit::Bytes) => "{spinner} {msg} {binary_bytes} {binary_bytes_per_sec} {elapsed}",
            (None, Unit::Items) => "{spinner} {msg} {pos} {elapsed}",
        };
        let bar = match total {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::new_spinner(),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(task.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut current) = self.current.lock() {
            if let Some(old) = current.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = self.bar() {
            b.inc(n);
        }
    }

    fn end(&self) {
        if let Ok(mut current) = self.current.lock() {
            if let Some(b) = current.take() {
                b.finish_and_clear();
            }
        }
    }
}
