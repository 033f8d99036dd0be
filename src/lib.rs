//! roundtable: deliberative workshops with a trustworthy audit trail.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod store;
pub mod summary;
