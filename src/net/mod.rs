//! Several terminals on one live session: the host side, the joining side,
//! and what travels between them.

pub mod client;
pub mod door;
pub mod host;
pub mod phones;
pub mod wire;
