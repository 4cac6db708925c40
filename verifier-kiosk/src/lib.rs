//! The border kiosk: reads e-visa codes, verifies them offline against trusted keys, and decides.
//! `main.rs` only parses the command line; the window and the headless commands live here.

pub mod cli;
pub mod decision;
pub mod scan;
pub mod trust;
