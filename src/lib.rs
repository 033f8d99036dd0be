//! roundtable: deliberative workshops with a trustworthy audit trail.

pub mod domain;
pub mod store;
