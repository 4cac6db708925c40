//! The `verifier-kiosk` binary: the kiosk window, or a headless command.

fn main() -> std::process::ExitCode {
    let cli = verifier_kiosk::cli::parse();
    match cli.command {
        Some(command) => verifier_kiosk::cli::run(command),
        None => verifier_kiosk::app::run(&cli.kiosk),
    }
}
