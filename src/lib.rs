//! roundtable: deliberative workshops with a trustworthy audit trail.

pub mod app;
pub mod cli;
pub mod domain;
pub mod export;
pub mod live;
pub mod net;
pub mod ops;
pub mod os;
pub mod safe;
pub mod store;
pub mod tui;
pub mod ui;
