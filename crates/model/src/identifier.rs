//! Identifiers: passports, national ids, vessel numbers, wallet addresses, ...

use serde::{Deserialize, Serialize};

use crate::{CountryCode, PartialDate};

/// What an identifier is. Exact identifier matches can decide a screening on their own, so
/// the kind is kept precise where the source is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Passport number.
    Passport,
    /// National identity number or card (cédula, Citizen's Card, national ID No.).
    NationalId,
    /// Tax identification number (TIN, INN, RFC, NIT, ...).
    TaxId,
    /// Company or business registration number (OGRN, registration ID, ...).
    RegistrationNumber,
    /// IMO ship or company number.
    Imo,
    /// Maritime Mobile Service Identity.
    Mmsi,
    /// Radio call sign.
    CallSign,
    /// SWIFT/BIC code.
    SwiftBic,
    /// Aircraft serial or tail number.
    AircraftId,
    /// Digital-currency address with its currency code (`XBT`, `ETH`, `USDT`, ...).
    CryptoAddress {
        /// Currency code as the list gives it.
        currency: String,
    },
    /// E-mail address.
    Email,
    /// Website.
    Website,
    /// Phone number.
    Phone,
    /// Anything else, with the source's label (e.g. `Cedula No.`, `Driver's License No.`).
    Other {
        /// The label the source used.
        label: String,
    },
}

impl IdentifierKind {
    /// Whether an exact match on this kind of identifier is strong enough to decide a
    /// screening on its own.
    pub fn is_decisive(&self) -> bool {
        matches!(
            self,
            IdentifierKind::Passport
                | IdentifierKind::NationalId
                | IdentifierKind::TaxId
                | IdentifierKind::RegistrationNumber
                | IdentifierKind::Imo
                | IdentifierKind::Mmsi
                | IdentifierKind::SwiftBic
                | IdentifierKind::AircraftId
                | IdentifierKind::CryptoAddress { .. }
        )
    }

    /// A short label for display.
    pub fn label(&self) -> String {
        match self {
            IdentifierKind::Passport => "passport".into(),
            IdentifierKind::NationalId => "national_id".into(),
            IdentifierKind::TaxId => "tax_id".into(),
            IdentifierKind::RegistrationNumber => "registration_number".into(),
            IdentifierKind::Imo => "imo".into(),
            IdentifierKind::Mmsi => "mmsi".into(),
            IdentifierKind::CallSign => "call_sign".into(),
            IdentifierKind::SwiftBic => "swift_bic".into(),
            IdentifierKind::AircraftId => "aircraft_id".into(),
            IdentifierKind::CryptoAddress { currency } => format!("crypto_address:{currency}"),
            IdentifierKind::Email => "email".into(),
            IdentifierKind::Website => "website".into(),
            IdentifierKind::Phone => "phone".into(),
            IdentifierKind::Other { label } => label.clone(),
        }
    }
}

/// One identifier of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// What it is.
    #[serde(flatten)]
    pub kind: IdentifierKind,
    /// The value as the list writes it.
    pub value: String,
    /// Issuing country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// Date of issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<PartialDate>,
    /// Date of expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<PartialDate>,
    /// Anything else the source said about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Identifier {
    /// An identifier with no country, dates or note.
    pub fn new(kind: IdentifierKind, value: impl Into<String>) -> Self {
        Identifier {
            kind,
            value: value.into(),
            country: None,
            issued: None,
            expires: None,
            note: None,
        }
    }

    /// The value reduced to what identifies: letters and digits only, upper-cased, so that
    /// `AB 123-456` and `ab123456` compare equal. Crypto addresses are case-sensitive in some
    /// currencies, so they keep their case.
    pub fn normalized_value(&self) -> String {
        let kept = self.value.chars().filter(|c| c.is_alphanumeric());
        match self.kind {
            IdentifierKind::CryptoAddress { .. } => kept.collect(),
            _ => kept.flat_map(char::to_uppercase).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_values_for_comparison() {
        let a = Identifier::new(IdentifierKind::Passport, "AB 123-456");
        let b = Identifier::new(IdentifierKind::Passport, "ab123456");
        assert_eq!(a.normalized_value(), b.normalized_value());
        let wallet = Identifier::new(
            IdentifierKind::CryptoAddress {
                currency: "XBT".into(),
            },
            "1AbC",
        );
        assert_eq!(wallet.normalized_value(), "1AbC");
    }
}
