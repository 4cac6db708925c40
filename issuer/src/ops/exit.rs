//! The exit codes the operator's commands share (README lists each command's).

/// Exit code for input the command cannot use (bad JSON, an invalid visa, a bad e-mail or role).
pub const EXIT_BAD_INPUT: u8 = 2;
