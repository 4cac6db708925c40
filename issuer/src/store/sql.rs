//! How the domain's typed values are written to and read from SQL columns, so no state is
//! compared as a string literal in Rust code. (The payment states and methods come with theirs
//! from `epay-contract`'s `rusqlite` feature.)

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::application::ApplicationStatus;

impl ToSql for ApplicationStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for ApplicationStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Self::parse(text).ok_or_else(|| FromSqlError::Other(unknown("application status", text)))
    }
}

fn unknown(what: &str, text: &str) -> Box<dyn std::error::Error + Send + Sync> {
    format!("a stored {what} this issuer does not know: {text:?}").into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn states_round_trip_through_a_column_and_unknown_ones_are_an_error() {
        let conn = Connection::open_in_memory().expect("memory");
        for status in crate::domain::payment::PaymentStatus::ALL {
            let back: crate::domain::payment::PaymentStatus = conn
                .query_row("SELECT ?1", [status], |r| r.get(0))
                .expect("reads back");
            assert_eq!(back, status);
        }
        let back: ApplicationStatus = conn
            .query_row("SELECT ?1", [ApplicationStatus::Issued], |r| r.get(0))
            .expect("reads back");
        assert_eq!(back, ApplicationStatus::Issued);
        let odd = conn.query_row("SELECT 'refunded'", [], |r| {
            r.get::<_, crate::domain::payment::PaymentStatus>(0)
        });
        assert!(odd.is_err());
    }
}
