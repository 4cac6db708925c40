//! `issuer stop-list add|remove`: the screening stop-list from a script, audited as the operator.
//! The back office does the same through `service::screening`.

use std::process::ExitCode;

use anyhow::Result;

use super::exit::EXIT_BAD_INPUT;
use super::inviter::EXIT_NOT_FOUND;
use crate::clock::Clock;
use crate::domain::audit::Actor;
use crate::domain::screening::StopEntryForm;
use crate::ops::trust::DataArgs;
use crate::service::screening;

/// `issuer stop-list …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum StopListCommand {
    /// Add an entry: a passport (`--passport N --citizenship ISO3`) or a person (`--surname S
    /// --born YYYY-MM-DD`). Prints the entry's id.
    Add(AddArgs),
    /// Remove an entry by its id: it no longer holds applications (held ones stay held).
    Remove(RemoveArgs),
}

/// Options of `issuer stop-list add`.
#[derive(Debug, Clone, clap::Args)]
pub struct AddArgs {
    /// Passport number (with --citizenship).
    #[arg(long, requires = "citizenship", conflicts_with_all = ["surname", "born"])]
    pub passport: Option<String>,
    /// Citizenship, ISO 3166-1 alpha-3 (with --passport).
    #[arg(long, requires = "passport")]
    pub citizenship: Option<String>,
    /// Surname in Latin letters, diacritics allowed (with --born).
    #[arg(long, requires = "born")]
    pub surname: Option<String>,
    /// Date of birth, YYYY-MM-DD (with --surname).
    #[arg(long, requires = "surname")]
    pub born: Option<String>,
    /// Why the entry is there.
    #[arg(long, default_value = "")]
    pub note: String,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Options of `issuer stop-list remove`.
#[derive(Debug, Clone, clap::Args)]
pub struct RemoveArgs {
    /// The entry's id, as `add` printed it.
    pub id: i64,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Runs `issuer stop-list …`.
pub fn run(command: &StopListCommand) -> Result<ExitCode> {
    let clock = Clock::system();
    match command {
        StopListCommand::Add(args) => {
            let text = |o: &Option<String>| o.clone().unwrap_or_default();
            let form = StopEntryForm {
                passport_number: text(&args.passport),
                citizenship: text(&args.citizenship),
                surname: text(&args.surname),
                born: text(&args.born),
                note: args.note.clone(),
            };
            let entry = match form.parse() {
                Ok(entry) => entry,
                Err(problems) => {
                    for (field, problem) in problems {
                        let flag = match field {
                            "passport_number" => "passport",
                            other => other,
                        };
                        eprintln!(
                            "issuer: --{flag}: {}",
                            problem.message(crate::i18n::Lang::En)
                        );
                    }
                    return Ok(ExitCode::from(EXIT_BAD_INPUT));
                }
            };
            let db = args.data.open()?;
            let id =
                db.with(|conn| screening::add_entry(conn, &clock, &Actor::Operator, &entry, None))?;
            println!("{id}");
            Ok(ExitCode::SUCCESS)
        }
        StopListCommand::Remove(args) => {
            let db = args.data.open()?;
            let removed = db.with(|conn| {
                screening::remove_entry(conn, &clock, &Actor::Operator, args.id, None)
            })?;
            Ok(match removed {
                Some(entry) => {
                    println!("removed {}: {}", entry.id, entry.subject.describe());
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!("issuer: no stop-list entry {} is in force", args.id);
                    ExitCode::from(EXIT_NOT_FOUND)
                }
            })
        }
    }
}
