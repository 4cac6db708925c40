//! Where a payment is in its life ([`PaymentStatus`]) and how it was paid ([`PaymentMethod`]), each
//! with one wire name used in JSON, in the sandbox's tables and in the issuer's.

use serde::{Deserialize, Serialize};

/// Where a payment is in its life: `created` → `pending` → `paid` or `declined` (both final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    /// Created by the merchant; the payer has not paid yet.
    Created,
    /// Submitted; the gateway is waiting for the bank or operator's answer.
    Pending,
    /// Paid: final.
    Paid,
    /// Declined: final. A retry is a new payment with a new order id.
    Declined,
}

/// How the payer paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentMethod {
    /// A payment card.
    Card,
    /// An e-wallet.
    Wallet,
    /// A write-off from a mobile phone balance.
    Mobile,
}

/// A text that is not the wire name of any value of the type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a known {what}")]
pub struct UnknownName {
    /// What was expected: `payment status`, `payment method` or `language`.
    pub what: &'static str,
    /// The text found, cut to 64 characters.
    pub text: String,
}

impl PaymentStatus {
    /// Every status, in the order of a payment's life.
    pub const ALL: [Self; 4] = [Self::Created, Self::Pending, Self::Paid, Self::Declined];

    /// The wire name: `created`, `pending`, `paid` or `declined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Declined => "declined",
        }
    }

    /// Whether the payment can no longer change.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Paid | Self::Declined)
    }
}

impl PaymentMethod {
    /// Every method, in the order the gateway offers them.
    pub const ALL: [Self; 3] = [Self::Card, Self::Wallet, Self::Mobile];

    /// The wire name: `card`, `wallet` or `mobile`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Card => "card",
            Self::Wallet => "wallet",
            Self::Mobile => "mobile",
        }
    }
}

impl std::str::FromStr for PaymentStatus {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| UnknownName::new("payment status", text))
    }
}

impl std::str::FromStr for PaymentMethod {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|method| method.as_str() == text)
            .ok_or_else(|| UnknownName::new("payment method", text))
    }
}

impl std::fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl UnknownName {
    pub(crate) fn new(what: &'static str, text: &str) -> Self {
        Self {
            what,
            text: text.chars().take(64).collect(),
        }
    }
}

#[cfg(feature = "rusqlite")]
mod sql {
    //! Both enums are stored as their wire names (SQLite `TEXT`).

    use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

    use super::{PaymentMethod, PaymentStatus};

    impl ToSql for PaymentStatus {
        fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
            Ok(ToSqlOutput::from(self.as_str()))
        }
    }

    impl FromSql for PaymentStatus {
        fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
            value
                .as_str()?
                .parse()
                .map_err(|e| FromSqlError::Other(Box::new(e)))
        }
    }

    impl ToSql for PaymentMethod {
        fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
            Ok(ToSqlOutput::from(self.as_str()))
        }
    }

    impl FromSql for PaymentMethod {
        fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
            value
                .as_str()?
                .parse()
                .map_err(|e| FromSqlError::Other(Box::new(e)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_and_method_reads_back_from_its_wire_name_in_text_and_json() {
        for status in PaymentStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
            let json = serde_json::to_string(&status).expect("JSON");
            assert_eq!(json, format!("\"{status}\""));
            assert_eq!(
                serde_json::from_str::<PaymentStatus>(&json).ok(),
                Some(status)
            );
        }
        for method in PaymentMethod::ALL {
            assert_eq!(method.as_str().parse(), Ok(method));
            let json = serde_json::to_string(&method).expect("JSON");
            assert_eq!(json, format!("\"{method}\""));
        }
    }

    #[test]
    fn unknown_or_differently_cased_names_are_refused() {
        for text in ["PAID", "Paid", "paid ", "refunded", ""] {
            assert!(text.parse::<PaymentStatus>().is_err(), "{text:?}");
            assert!(serde_json::from_str::<PaymentStatus>(&format!("\"{text}\"")).is_err());
        }
        assert!("bitcoin".parse::<PaymentMethod>().is_err());
        let long = "x".repeat(10_000);
        let error = long.parse::<PaymentStatus>().expect_err("refused");
        assert_eq!(error.text.len(), 64);
    }

    #[test]
    fn only_paid_and_declined_are_final() {
        let finals: Vec<_> = PaymentStatus::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(finals, [PaymentStatus::Paid, PaymentStatus::Declined]);
    }

    #[cfg(feature = "rusqlite")]
    #[test]
    fn statuses_and_methods_are_stored_as_their_wire_names_and_unknown_text_is_an_error() {
        let conn = rusqlite::Connection::open_in_memory().expect("db");
        let (status, method): (String, String) = conn
            .query_row(
                "SELECT ?1, ?2",
                rusqlite::params![PaymentStatus::Declined, PaymentMethod::Mobile],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row");
        assert_eq!((status.as_str(), method.as_str()), ("declined", "mobile"));
        let read: PaymentStatus = conn
            .query_row("SELECT 'pending'", [], |r| r.get(0))
            .expect("row");
        assert_eq!(read, PaymentStatus::Pending);
        let bad = conn.query_row("SELECT 'refunded'", [], |r| r.get::<_, PaymentStatus>(0));
        assert!(bad.is_err());
    }
}
