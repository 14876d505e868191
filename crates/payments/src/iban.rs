//! IBAN validation (ISO 13616): country, length for that country, and the mod-97 check.

use std::fmt;

use interdict_model::CountryCode;

/// IBAN lengths per country: the SWIFT IBAN registry, then (after the marker) national IBANs
/// in use that the registry does not list (Iran and much of francophone Africa), because a
/// payment screening must read them too.
static LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
    // French overseas territories use the French format under their own codes.
    ("BL", 27),
    ("GF", 27),
    ("GP", 27),
    ("MF", 27),
    ("MQ", 27),
    ("NC", 27),
    ("PF", 27),
    ("PM", 27),
    ("RE", 27),
    ("TF", 27),
    ("WF", 27),
    ("YT", 27),
    // National IBANs outside the registry.
    ("AO", 25),
    ("BF", 28),
    ("BJ", 28),
    ("CF", 27),
    ("CG", 27),
    ("CI", 28),
    ("CM", 27),
    ("CV", 25),
    ("DZ", 26),
    ("GA", 27),
    ("GQ", 27),
    ("GW", 25),
    ("IR", 26),
    ("KM", 27),
    ("MA", 28),
    ("MG", 27),
    ("ML", 28),
    ("MZ", 25),
    ("NE", 28),
    ("SN", 28),
    ("TD", 27),
    ("TG", 28),
];

/// Why a string is not a valid IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanError {
    /// Not two letters, two digits, then letters and digits.
    Shape,
    /// No IBAN is issued for the country its first two letters name.
    UnknownCountry,
    /// The length is not the one that country's IBANs have.
    Length {
        /// The length found.
        found: usize,
        /// The length the country's IBANs have.
        expected: usize,
    },
    /// The mod-97 check fails: a typo or an invented number.
    Checksum,
}

impl fmt::Display for IbanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IbanError::Shape => f.write_str("not shaped like an IBAN"),
            IbanError::UnknownCountry => f.write_str("no IBANs are issued for its country"),
            IbanError::Length { found, expected } => {
                write!(f, "{found} characters where its country has {expected}")
            }
            IbanError::Checksum => f.write_str("its check digits are wrong (mod 97)"),
        }
    }
}

impl std::error::Error for IbanError {}

/// A valid IBAN, in electronic form (upper case, no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iban {
    electronic: String,
    country: CountryCode,
}

impl Iban {
    /// Validates `text` (spaces allowed, any case) as an IBAN.
    pub fn parse(text: &str) -> Result<Iban, IbanError> {
        let electronic: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = electronic.as_bytes();
        let shaped = bytes.len() >= 5
            && bytes[..2].iter().all(u8::is_ascii_uppercase)
            && bytes[2..4].iter().all(u8::is_ascii_digit)
            && bytes[4..].iter().all(u8::is_ascii_alphanumeric);
        if !shaped {
            return Err(IbanError::Shape);
        }
        let code = &electronic[..2];
        let expected = LENGTHS
            .iter()
            .find(|(country, _)| *country == code)
            .map(|(_, length)| *length)
            .ok_or(IbanError::UnknownCountry)?;
        if bytes.len() != expected {
            return Err(IbanError::Length {
                found: bytes.len(),
                expected,
            });
        }
        let country = interdict_model::country_code(code).ok_or(IbanError::UnknownCountry)?;
        if mod97(&bytes[4..], &bytes[..4]) != 1 {
            return Err(IbanError::Checksum);
        }
        Ok(Iban {
            electronic,
            country,
        })
    }

    /// The country whose bank holds the account.
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// Upper case, without spaces.
    pub fn as_str(&self) -> &str {
        &self.electronic
    }
}

/// The ISO 7064 MOD 97-10 remainder of `body` followed by `head`, letters counting 10 to 35.
fn mod97(body: &[u8], head: &[u8]) -> u32 {
    body.iter().chain(head).fold(0u32, |remainder, &b| {
        let digit = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        if digit >= 10 {
            (remainder * 100 + digit) % 97
        } else {
            (remainder * 10 + digit) % 97
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_ibans_of_several_countries() {
        for (text, country) in [
            ("GB82 WEST 1234 5698 7654 32", "GB"),
            ("DE89370400440532013000", "DE"),
            ("FR0365391139910557744076701", "FR"),
            ("IR474373859454459040977807", "IR"),
            ("be71 0961 2345 6769", "BE"),
            ("KZ129078AFZJBAB68Q4Y", "KZ"),
        ] {
            let iban = Iban::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(iban.country().as_str(), country, "{text}");
        }
    }

    #[test]
    fn refuses_bad_check_digits_lengths_and_countries() {
        assert_eq!(
            Iban::parse("GB82WEST12345698765433"),
            Err(IbanError::Checksum)
        );
        assert_eq!(
            Iban::parse("GB82WEST123456987654"),
            Err(IbanError::Length {
                found: 20,
                expected: 22
            })
        );
        assert_eq!(
            Iban::parse("US12345678901234"),
            Err(IbanError::UnknownCountry)
        );
        assert_eq!(Iban::parse("4355399649496"), Err(IbanError::Shape));
        assert_eq!(Iban::parse(""), Err(IbanError::Shape));
    }
}
