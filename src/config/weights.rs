//! `[weights]` of a survey file: raking (iterative proportional fitting) of the kept
//! respondents to known population margins, with an optional cap on the weights.
//!
//! ```toml
//! [weights]
//! cap = 5                 # trim to at most 5 × the mean weight, then re-rake (as anesrake)
//! [[weights.rake]]
//! column = "Role"         # an export column, or a segment's name
//! targets = { Headteacher = 0.3, Teacher = 0.7 }   # shares summing to 1, or population counts
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The raking settings (`[weights]`); empty when the survey does not rake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// The margins to rake to (`[[weights.rake]]`), each an export column (or segment) with
    /// its groups' population shares or counts.
    #[serde(default)]
    pub rake: Vec<RakeMargin>,
    /// Trim every weight to at most this multiple of the mean weight after each raking cycle,
    /// then rake again (anesrake's cap); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// Raking cycles (each adjusts every margin once) allowed before the run is refused.
    #[serde(default = "default_max_iterations")]
    pub max_iterations: usize,
    /// Converged when every group's weighted share is within this of its target share.
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            rake: Vec::new(),
            cap: None,
            max_iterations: default_max_iterations(),
            tolerance: default_tolerance(),
        }
    }
}

/// One margin to rake to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RakeMargin {
    /// A segment's name, or an export column (id, ImportId or question text).
    pub column: String,
    /// Each group's (the column's value's) population share, or population count. Shares must
    /// sum to 1; counts (any value above 1) are divided by their total. Blank answers are the
    /// group `(not answered)`.
    pub targets: BTreeMap<String, f64>,
    /// Rake to the column although it identifies people (its values are group names in
    /// weights.csv): canvass refuses such a margin unless a researcher says they know.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_identifying: bool,
}

fn default_max_iterations() -> usize {
    1000
}

fn default_tolerance() -> f64 {
    1e-10
}

/// How far from 1 share targets may sum (they are usually written to a few decimals).
pub const SHARE_SLACK: f64 = 1e-6;

/// The most raking cycles a survey may allow: enough for any margins that can converge.
const MAX_ITERATIONS: usize = 1_000_000;

impl Weights {
    /// Whether the survey rakes its respondents.
    pub fn rakes(&self) -> bool {
        !self.rake.is_empty()
    }

    /// Whether nothing is set (the default, left out of a written survey file).
    pub fn is_empty(&self) -> bool {
        *self == Weights::default()
    }

    /// Checks the settings that do not depend on the data.
    pub fn validate(&self, path: &Path) -> Result<()> {
        if let Some(cap) = self.cap {
            if !self.rakes() {
                return Err(Error::config(
                    path,
                    "weights.cap",
                    "trims raked weights, but there is no `[[weights.rake]]` margin",
                )
                .hint("add the margins to rake to, or remove `cap`"));
            }
            if !(cap.is_finite() && cap > 1.0) {
                return Err(Error::config(
                    path,
                    "weights.cap",
                    format!("must be a multiple of the mean weight above 1 (got {cap})"),
                )
                .hint("5 trims every weight to at most five times the mean weight"));
            }
        }
        if !(1..=MAX_ITERATIONS).contains(&self.max_iterations) {
            return Err(Error::config(
                path,
                "weights.max_iterations",
                format!(
                    "must be between 1 and {MAX_ITERATIONS} (got {})",
                    self.max_iterations
                ),
            ));
        }
        if !(self.tolerance > 0.0 && self.tolerance < 0.01) {
            return Err(Error::config(
                path,
                "weights.tolerance",
                format!(
                    "must be a share above 0 and below 0.01 (got {})",
                    self.tolerance
                ),
            )
            .hint("the default, 1e-10, leaves no visible gap between weighted and target shares"));
        }
        let mut columns = BTreeMap::new();
        for (i, margin) in self.rake.iter().enumerate() {
            if let Some(first) = columns.insert(margin.column.as_str(), i) {
                return Err(Error::config(
                    path,
                    format!("weights.rake[{i}].column"),
                    format!(
                        "`{}` is raked to twice (also weights.rake[{first}])",
                        margin.column
                    ),
                )
                .hint("give each column's targets once"));
            }
            margin.validate(path, i)?;
        }
        Ok(())
    }
}

impl RakeMargin {
    fn validate(&self, path: &Path, i: usize) -> Result<()> {
        if self.column.trim().is_empty() {
            return Err(
                Error::config(path, format!("weights.rake[{i}].column"), "is empty")
                    .hint("name the export column (or segment) whose groups the targets are for"),
            );
        }
        let key = format!("weights.rake[{i}].targets");
        if self.targets.is_empty() {
            return Err(Error::config(path, &key, "has no groups").hint(
                "give each group of the column its population share, e.g. { North = 0.4, South = 0.6 }",
            ));
        }
        if let Some((group, v)) = self
            .targets
            .iter()
            .find(|(_, v)| !(v.is_finite() && **v > 0.0))
        {
            return Err(Error::config(
                path,
                format!("{key}.{group}"),
                format!("must be a share or count above 0 (got {v})"),
            )
            .hint("a group with no one in the population has no respondents to weight: exclude them, or leave the margin out"));
        }
        let total: f64 = self.targets.values().sum();
        let counts = self.targets.values().any(|v| *v > 1.0);
        if !counts && (total - 1.0).abs() > SHARE_SLACK {
            return Err(Error::config(
                path,
                &key,
                format!(
                    "the shares of `{}` sum to {total} rather than 1",
                    self.column
                ),
            )
            .hint("give shares that sum to 1, or population counts (whole numbers, divided by their total)"));
        }
        Ok(())
    }

    /// Each group's target share of the population (counts divided by their total).
    pub fn shares(&self) -> BTreeMap<String, f64> {
        let total: f64 = self.targets.values().sum();
        self.targets
            .iter()
            .map(|(g, v)| (g.clone(), v / total))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights(text: &str) -> Weights {
        toml::from_str(text).unwrap()
    }

    fn refusal(text: &str) -> String {
        weights(text)
            .validate(Path::new("survey.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_survey_without_weights_has_valid_defaults() {
        let w = Weights::default();
        w.validate(Path::new("survey.toml")).unwrap();
        assert!(w.is_empty() && !w.rakes());
        assert_eq!(weights(""), w);
    }

    #[test]
    fn counts_are_divided_by_their_total_and_shares_kept() {
        let w = weights("[[rake]]\ncolumn = \"Region\"\ntargets = { North = 300, South = 100 }\n");
        w.validate(Path::new("survey.toml")).unwrap();
        assert_eq!(w.rake[0].shares()["North"], 0.75);
        assert_eq!((w.max_iterations, w.tolerance, w.cap), (1000, 1e-10, None));
        let w =
            weights("[[rake]]\ncolumn = \"Region\"\ntargets = { North = 0.25, South = 0.75 }\n");
        assert_eq!(w.rake[0].shares()["South"], 0.75);
    }

    #[test]
    fn shares_not_summing_to_one_are_refused_naming_the_key() {
        let e = refusal("[[rake]]\ncolumn = \"Region\"\ntargets = { North = 0.5, South = 0.4 }\n");
        assert!(e.contains("weights.rake[0].targets"), "{e}");
        assert!(e.contains("sum to 0.9"), "{e}");
    }

    #[test]
    fn impossible_settings_are_refused() {
        let e = refusal("[[rake]]\ncolumn = \"R\"\ntargets = { A = 0 , B = 1 }\n");
        assert!(e.contains("weights.rake[0].targets.A"), "{e}");
        let e = refusal("cap = 1\n[[rake]]\ncolumn = \"R\"\ntargets = { A = 1 }\n");
        assert!(e.contains("weights.cap"), "{e}");
        let e = refusal("cap = 4\n");
        assert!(e.contains("no `[[weights.rake]]`"), "{e}");
        let e = refusal("[[rake]]\ncolumn = \"R\"\ntargets = { A = 1 }\n[[rake]]\ncolumn = \"R\"\ntargets = { A = 1 }\n");
        assert!(e.contains("weights.rake[1].column"), "{e}");
        let e = refusal("max_iterations = 0\n");
        assert!(e.contains("weights.max_iterations"), "{e}");
    }
}
