//! BIC (ISO 9362) validation: `4!c2!a2!c[3!c]`, bank code (letters; digits too since the
//! 2014 edition), country, location, branch.

use std::fmt;

use interdict_model::CountryCode;

/// Why a string is not a valid BIC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BicError {
    /// Not 8 or 11 characters.
    Length(usize),
    /// The country code is not an ISO 3166 country.
    Country,
    /// The location or branch code holds other than letters and digits.
    Characters,
}

impl fmt::Display for BicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BicError::Length(n) => write!(f, "{n} characters where a BIC has 8 or 11"),
            BicError::Country => f.write_str("its country code is not an ISO 3166 country"),
            BicError::Characters => f.write_str("it holds other than letters and digits"),
        }
    }
}

impl std::error::Error for BicError {}

/// A valid BIC, upper case. A BIC11 with branch `XXX` is the primary office, the same as its
/// BIC8.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bic {
    code: String,
    country: CountryCode,
}

impl Bic {
    /// Validates `text` (surrounding spaces and case ignored) as a BIC8 or BIC11.
    pub fn parse(text: &str) -> Result<Bic, BicError> {
        let code = text.trim().to_ascii_uppercase();
        if code.len() != 8 && code.len() != 11 {
            return Err(BicError::Length(code.chars().count()));
        }
        let bytes = code.as_bytes();
        if !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(BicError::Characters);
        }
        let country_text = &code[4..6];
        let country = (bytes[4..6].iter().all(u8::is_ascii_uppercase))
            .then(|| interdict_model::country_code(country_text))
            .flatten()
            .ok_or(BicError::Country)?;
        Ok(Bic { code, country })
    }

    /// The code as written (upper case), 8 or 11 characters.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The institution's code: bank, country and location (`DEUTDEFF`).
    pub fn bic8(&self) -> &str {
        &self.code[..8]
    }

    /// The branch code, `None` for a BIC8 and for the primary office `XXX`.
    pub fn branch(&self) -> Option<&str> {
        self.code.get(8..11).filter(|branch| *branch != "XXX")
    }

    /// The country the institution is in.
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// Whether it names a test-and-training destination (location's second character `0`).
    pub fn is_test(&self) -> bool {
        self.code.as_bytes()[7] == b'0'
    }
}

impl fmt::Display for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bic8_and_bic11() {
        let bic8 = Bic::parse("sabrrumm").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bic8.bic8(), "SABRRUMM");
        assert_eq!(bic8.branch(), None);
        assert_eq!(bic8.country().as_str(), "RU");
        let primary = Bic::parse("SABRRUMMXXX").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(primary.bic8(), "SABRRUMM");
        assert_eq!(primary.branch(), None);
        let branch = Bic::parse("DEUTDEFF500").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(branch.branch(), Some("500"));
        assert!(!branch.is_test());
        assert!(Bic::parse("BANKDEF0").is_ok_and(|b| b.is_test()));
    }

    #[test]
    fn refuses_malformed_bics() {
        assert_eq!(Bic::parse("DEUTDEF"), Err(BicError::Length(7)));
        assert_eq!(Bic::parse("DEUTDEFF5000"), Err(BicError::Length(12)));
        assert_eq!(Bic::parse("DEUT-EFF"), Err(BicError::Characters));
        assert_eq!(Bic::parse("DEUTQQFF"), Err(BicError::Country));
        assert_eq!(Bic::parse("DEUT12FF"), Err(BicError::Country));
    }
}
