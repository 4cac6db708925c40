//! Citizenship as an ISO 3166-1 alpha-3 code, the form the passport's MRZ and the visa use.

use std::fmt;

/// A country code that ISO 3166-1 assigns (alpha-3, upper case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 3]);

/// Why a text is not a country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CountryError {
    /// Not three Latin capital letters.
    #[error("a country code is three capital letters (ISO 3166-1 alpha-3), like KAZ or DEU")]
    Format,
    /// Three letters, but no country has them.
    #[error("{0} is not an ISO 3166-1 alpha-3 country code")]
    Unknown(String),
}

impl Country {
    /// Kazakhstan, the issuing state.
    pub const KAZ: Country = Country(*b"KAZ");

    /// Parses an ISO 3166-1 alpha-3 code such as `KAZ`.
    pub fn parse(code: &str) -> Result<Self, CountryError> {
        let bytes: [u8; 3] = code
            .as_bytes()
            .try_into()
            .map_err(|_| CountryError::Format)?;
        if !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(CountryError::Format);
        }
        if ISO_3166_ALPHA_3.binary_search(&code).is_err() {
            return Err(CountryError::Unknown(code.to_owned()));
        }
        Ok(Country(bytes))
    }

    /// Reads the nationality field of an MRZ, which pads codes with `<` and writes Germany as `D`.
    pub fn from_mrz(field: &str) -> Result<Self, CountryError> {
        match field.trim_end_matches('<') {
            "D" => Ok(Country(*b"DEU")),
            code => Country::parse(code),
        }
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        // The bytes were checked to be ASCII capitals when the value was made.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every ISO 3166-1 alpha-3 code, sorted for binary search (from the ISO list as published by pycountry).
const ISO_3166_ALPHA_3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_and_complete() {
        assert!(ISO_3166_ALPHA_3.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_3166_ALPHA_3.len(), 249);
    }

    #[test]
    fn known_codes_parse_and_others_are_refused_with_a_reason() {
        assert_eq!(
            Country::parse("KAZ").map(|c| c.to_string()),
            Ok("KAZ".to_owned())
        );
        assert_eq!(Country::parse("kaz"), Err(CountryError::Format));
        assert_eq!(Country::parse("KZ"), Err(CountryError::Format));
        assert_eq!(Country::parse("ÄBC"), Err(CountryError::Format));
        assert_eq!(
            Country::parse("XYZ"),
            Err(CountryError::Unknown("XYZ".into()))
        );
    }

    #[test]
    fn mrz_nationality_fields_map_germany_and_strip_filler() {
        assert_eq!(
            Country::from_mrz("D<<").map(|c| c.to_string()),
            Ok("DEU".into())
        );
        assert_eq!(
            Country::from_mrz("FRA").map(|c| c.to_string()),
            Ok("FRA".into())
        );
    }
}
