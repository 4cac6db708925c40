//! The `verifier-kiosk` binary: the kiosk window, or a headless command.

fn main() -> std::process::ExitCode {
    match verifier_kiosk::cli::parse().command {
        Some(command) => verifier_kiosk::cli::run(command),
        None => {
            eprintln!(
                "verifier-kiosk: the kiosk window is not built yet; use `verifier-kiosk verify`"
            );
            std::process::ExitCode::from(verifier_kiosk::cli::EXIT_USAGE)
        }
    }
}
