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

/// mimalloc: opening, replaying and verifying allocate millions of small
/// strings, and it made each of them markedly faster than the system's
/// allocator (PERFORMANCE.md). It keeps freed memory for reuse; see
/// `store::give_back_freed_memory` for giving a large amount back.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
