//! Every numeric limit of a run, each written once: the raw value from a TOML file or a
//! command-line option goes in, a checked value comes out (linfa's checked-params pattern), and
//! the code after the check holds a type that cannot be out of range. The same rule gives the
//! same sentence whether it is broken in a pipeline file (`suppress_below = 2`) or on the
//! command line (`--suppress-below 2`); the caller says which ([`Broken::at_key`],
//! [`Broken::at_option`]). A pipeline's checked limits together are `pipeline::Limits`.

use crate::error::Error;
use serde::Serialize;
use std::path::Path;

/// A rule a value breaks: what is wrong with it and what to do, not yet placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    what: String,
    hint: Option<String>,
}

impl Broken {
    fn new(what: String, hint: Option<String>) -> Broken {
        Broken { what, hint }
    }

    /// The error for the value of config key `key` in `file`.
    pub fn at_key(self, file: &Path, key: impl Into<String>) -> Error {
        with_hint(Error::config(file, key, self.what), self.hint)
    }

    /// The error for the value of the command-line option `option` (`--confidence`).
    pub fn at_option(self, option: &str) -> Error {
        with_hint(Error::argument(option, self.what), self.hint)
    }
}

fn with_hint(e: Error, hint: Option<String>) -> Error {
    match hint {
        Some(h) => e.hint(h),
        None => e,
    }
}

/// The smallest group whose figures are shown: at least 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SuppressBelow(usize);

impl SuppressBelow {
    /// Below this a group's figures identify people, whatever a file asks.
    pub const MIN: usize = 3;

    /// `n` when it is at least [`SuppressBelow::MIN`].
    pub fn new(n: usize) -> std::result::Result<SuppressBelow, Broken> {
        if n < Self::MIN {
            return Err(Broken::new(
                format!("must be at least {} (got {n})", Self::MIN),
                Some("small groups identify people; 10 is the usual threshold".into()),
            ));
        }
        Ok(SuppressBelow(n))
    }

    /// The threshold.
    pub fn get(self) -> usize {
        self.0
    }
}

/// The confidence level of every interval: in [0.5, 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Confidence(f64);

impl Confidence {
    /// `level` when it is in [0.5, 1) (not NaN).
    pub fn new(level: f64) -> std::result::Result<Confidence, Broken> {
        if !(0.5..1.0).contains(&level) {
            return Err(Broken::new(
                format!("must be between 0.5 and 1 (got {level})"),
                Some("e.g. 0.95 for 95% intervals".into()),
            ));
        }
        Ok(Confidence(level))
    }

    /// The level.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// How many example quotes a theme shows: 1 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Quotes(usize);

impl Quotes {
    /// `n` when it is in 1..=10.
    pub fn new(n: usize) -> std::result::Result<Quotes, Broken> {
        if !(1..=10).contains(&n) {
            return Err(Broken::new(
                format!("must be between 1 and 10 (got {n})"),
                Some("3 is the default".into()),
            ));
        }
        Ok(Quotes(n))
    }

    /// The number of quotes.
    pub fn get(self) -> usize {
        self.0
    }
}

/// The probability under which a learned code is listed for review: in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ReviewBelow(f64);

impl ReviewBelow {
    /// `p` when it is a probability (not NaN).
    pub fn new(p: f64) -> std::result::Result<ReviewBelow, Broken> {
        if !(0.0..=1.0).contains(&p) {
            return Err(Broken::new(
                format!("must be a probability between 0 and 1 (got {p})"),
                Some(
                    "0.5 lists for review the comments whose most likely theme is less likely \
                     than not"
                        .into(),
                ),
            ));
        }
        Ok(ReviewBelow(p))
    }

    /// The probability.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A stemming language canvass has a stemmer for.
pub fn language(name: &str) -> std::result::Result<(), Broken> {
    if super::language::stemmer_for(name).is_some() {
        return Ok(());
    }
    Err(Broken::new(
        format!("no stemmer for `{name}`"),
        Some(format!("use one of: {}", super::language::LANGUAGES)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_refuses_values_out_of_range() {
        assert!(SuppressBelow::new(2).is_err());
        assert_eq!(SuppressBelow::new(3).map(SuppressBelow::get), Ok(3));
        assert!(Confidence::new(1.0).is_err());
        assert!(Confidence::new(f64::NAN).is_err());
        assert!(Confidence::new(0.5).is_ok());
        assert!(Quotes::new(0).is_err() && Quotes::new(11).is_err());
        assert!(ReviewBelow::new(1.5).is_err() && ReviewBelow::new(f64::NAN).is_err());
        assert!(ReviewBelow::new(0.0).is_ok() && ReviewBelow::new(1.0).is_ok());
        assert!(language("klingon").is_err() && language("english").is_ok());
    }

    #[test]
    fn a_broken_rule_reads_the_same_in_a_file_and_on_the_command_line() {
        let b = SuppressBelow::new(2).unwrap_err();
        let file = b
            .clone()
            .at_key(Path::new("p.toml"), "suppress_below")
            .to_string();
        let option = b.at_option("--suppress-below").to_string();
        let said = "must be at least 3 (got 2)";
        assert!(
            file.contains(said) && file.contains("suppress_below"),
            "{file}"
        );
        assert!(
            option.contains(said) && option.contains("--suppress-below"),
            "{option}"
        );
    }
}
