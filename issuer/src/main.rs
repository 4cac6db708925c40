//! The `issuer` binary: parses the command line and hands over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    issuer::ops::run(issuer::ops::Cli::parse())
}
