//! canvass: participant-feedback survey exports → evaluator-ready evidence.
//!
//! The pipeline is a chain of stages, each a function from typed artefacts to a typed,
//! serialisable artefact: [`ingest`] → [`clean`] → [`score`] (and [`score::compare`]) and
//! [`themes`] → [`report`]. [`runner`] executes a pipeline file wave by wave. Everything here is
//! usable without the command line.

pub mod agree;
pub mod clean;
pub mod cli;
pub mod codec;
pub mod commands;
pub mod config;
pub mod error;
pub(crate) mod files;
pub mod given_names;
pub mod infer;
pub mod ingest;
pub mod joins;
pub mod model;
pub mod names;
pub mod progress;
pub mod qda;
pub mod quantity;
pub mod report;
pub mod runner;
pub mod score;
pub mod stats;
pub mod suggest;
pub mod suppression;
pub mod synth;
pub mod themes;
pub mod xml;

pub use error::{Error, Result};
