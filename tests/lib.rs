//! Helpers for the cross-crate end-to-end tests that live in `tests/e2e.rs`.
