//! Statistical building blocks with no survey knowledge: distributions, intervals, tests and
//! multiple-comparison adjustment. Each function names the reference it follows.

pub mod design;
pub mod dist;
pub mod hypothesis;
pub mod intervals;
pub mod paired;
