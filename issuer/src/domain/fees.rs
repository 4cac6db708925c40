//! The state duty: how much each visa category costs, read from the operator's setting, in whole
//! cents and never through floating point.

use std::collections::HashMap;

use anyhow::{Result, bail};
use shared::Category;

/// The state duty per category, in minor units of [`Fees::CURRENCY`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fees(HashMap<&'static str, i64>);

impl Fees {
    /// The currency of the duty.
    pub const CURRENCY: &'static str = "USD";

    /// Parses `business=80,tourist=80,treatment=80` (whole dollars, or with two decimals);
    /// a category left out costs 80.
    pub fn parse(text: &str) -> Result<Self> {
        let mut fees: HashMap<&'static str, i64> =
            Category::ALL.iter().map(|c| (c.as_str(), 8000)).collect();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, amount)) = part.split_once('=') else {
                bail!("a fee is written category=amount, like tourist=80");
            };
            let category =
                Category::parse(name.trim()).map_err(|e| anyhow::anyhow!("fee for {name}: {e}"))?;
            fees.insert(category.as_str(), parse_minor(amount.trim())?);
        }
        Ok(Self(fees))
    }

    /// The duty for a category, in cents.
    pub fn minor(&self, category: Category) -> i64 {
        self.0.get(category.as_str()).copied().unwrap_or(8000)
    }
}

impl Default for Fees {
    fn default() -> Self {
        Self(Category::ALL.iter().map(|c| (c.as_str(), 8000)).collect())
    }
}

/// `80` or `80.50` as cents; never through floating point.
fn parse_minor(text: &str) -> Result<i64> {
    let (whole, cents) = match text.split_once('.') {
        Some((w, c)) if c.len() == 2 => (w, c),
        Some(_) => bail!("an amount has at most two decimals: {text}"),
        None => (text, "00"),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(cents) || whole.len() > 6 {
        bail!("not an amount: {text}");
    }
    let minor = whole.parse::<i64>()? * 100 + cents.parse::<i64>()?;
    if minor == 0 {
        bail!("a fee cannot be zero");
    }
    Ok(minor)
}

/// Formats cents as `80` or `80.50`.
pub fn format_minor(minor: i64) -> String {
    if minor % 100 == 0 {
        format!("{}", minor / 100)
    } else {
        format!("{}.{:02}", minor / 100, minor % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_are_read_in_whole_cents_with_80_dollars_by_default() {
        let fees = Fees::parse("").expect("empty is fine");
        assert_eq!(fees.minor(Category::Tourist), 8000);
        let fees = Fees::parse("business=160, treatment=80.50").expect("valid");
        assert_eq!(fees.minor(Category::Business), 16000);
        assert_eq!(fees.minor(Category::Treatment), 8050);
        assert_eq!(fees.minor(Category::Tourist), 8000);
        for bad in [
            "transit=10",
            "tourist",
            "tourist=8.5",
            "tourist=-1",
            "tourist=0",
            "tourist=1e3",
        ] {
            assert!(Fees::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(format_minor(8000), "80");
        assert_eq!(format_minor(8050), "80.50");
    }
}
