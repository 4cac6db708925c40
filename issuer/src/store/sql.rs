//! How the domain's typed values are written to and read from SQL columns, so no state is
//! compared as a string literal in Rust code: each is stored as its name (`TEXT`), on either
//! engine.

use anyhow::{Result, anyhow};

use super::conn::{Column, Param, Value};
use crate::domain::application::ApplicationStatus;
use crate::domain::payment::{PaymentMethod, PaymentStatus};

fn text<'a>(what: &str, value: Value<'a>) -> Result<&'a str> {
    match value {
        Value::Text(text) => Ok(text),
        other => Err(anyhow!("a stored {what} is not text: {other:?}")),
    }
}

fn unknown(what: &str, text: &str) -> anyhow::Error {
    anyhow!("a stored {what} this issuer does not know: {text:?}")
}

impl Param for ApplicationStatus {
    fn value(&self) -> Value<'_> {
        Value::Text(self.as_str())
    }
}

impl Column for ApplicationStatus {
    fn column(value: Value<'_>) -> Result<Self> {
        let text = text("application status", value)?;
        Self::parse(text).ok_or_else(|| unknown("application status", text))
    }
}

impl Param for PaymentStatus {
    fn value(&self) -> Value<'_> {
        Value::Text(self.as_str())
    }
}

impl Column for PaymentStatus {
    fn column(value: Value<'_>) -> Result<Self> {
        let text = text("payment status", value)?;
        text.parse().map_err(|_| unknown("payment status", text))
    }
}

impl Param for PaymentMethod {
    fn value(&self) -> Value<'_> {
        Value::Text(self.as_str())
    }
}

impl Column for PaymentMethod {
    fn column(value: Value<'_>) -> Result<Self> {
        let text = text("payment method", value)?;
        text.parse().map_err(|_| unknown("payment method", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Connection;

    #[test]
    fn states_round_trip_through_a_column_and_unknown_ones_are_an_error() -> Result<()> {
        let lite = rusqlite::Connection::open_in_memory()?;
        let conn = Connection::Lite(&lite);
        for status in PaymentStatus::ALL {
            let back: PaymentStatus = conn.query_row("SELECT ?1", [status], |r| r.get(0))?;
            assert_eq!(back, status);
        }
        let back: ApplicationStatus =
            conn.query_row("SELECT ?1", [ApplicationStatus::Issued], |r| r.get(0))?;
        assert_eq!(back, ApplicationStatus::Issued);
        let odd = conn.query_row("SELECT 'refunded'", [], |r| r.get::<_, PaymentStatus>(0));
        assert!(odd.is_err());
        Ok(())
    }
}
