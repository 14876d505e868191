//! What a parsed payment message is: its format, its identifiers, and the values in it that
//! can be screened, each with the field it came from.

use std::borrow::Cow;
use std::fmt;

use interdict_model::{CountryCode, Schema};
use serde::Serialize;

/// The kind of payment message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageType {
    /// ISO 20022 `pacs.008`: FI to FI customer credit transfer.
    Pacs008,
    /// ISO 20022 `pacs.009`: financial institution credit transfer (also its COV variant).
    Pacs009,
    /// ISO 20022 `pain.001`: customer credit transfer initiation.
    Pain001,
    /// SWIFT MT103: single customer credit transfer (also STP and REMIT).
    Mt103,
    /// SWIFT MT202: general financial institution transfer.
    Mt202,
    /// SWIFT MT202 COV: cover payment, carrying the underlying customer transfer.
    Mt202Cov,
}

/// A message's format: its type and, for ISO 20022, the version its namespace names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Format {
    /// The kind of message.
    pub message_type: MessageType,
    /// The ISO 20022 variant and version (`001.08` of `pacs.008.001.08`); `None` for SWIFT MT
    /// and for an XML message whose namespace does not say.
    pub version: Option<String>,
}

impl Format {
    /// Whether this is an ISO 20022 (XML) message rather than a SWIFT MT one.
    pub fn is_iso20022(&self) -> bool {
        matches!(
            self.message_type,
            MessageType::Pacs008 | MessageType::Pacs009 | MessageType::Pain001
        )
    }
}

impl fmt::Display for Format {
    /// `pacs.008.001.08`, `pacs.009`, `MT103`, `MT202 COV`: the names `manifest.csv` and
    /// analysts use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = match self.message_type {
            MessageType::Pacs008 => "pacs.008",
            MessageType::Pacs009 => "pacs.009",
            MessageType::Pain001 => "pain.001",
            MessageType::Mt103 => "MT103",
            MessageType::Mt202 => "MT202",
            MessageType::Mt202Cov => "MT202 COV",
        };
        match &self.version {
            Some(version) => write!(f, "{base}.{version}"),
            None => f.write_str(base),
        }
    }
}

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One parsed payment message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Its format.
    pub format: Format,
    /// The sender's message id: ISO 20022 `GrpHdr/MsgId`, SWIFT MT field `:20:`.
    pub message_id: Option<String>,
    /// The end-to-end reference of the payment: ISO 20022 `UETR` or `EndToEndId` of the first
    /// transaction, SWIFT MT block 3 field `121` (UETR) or field `:21:`.
    pub reference: Option<String>,
    /// The line of the input the message starts on (1-based).
    pub line: usize,
    /// Every value to screen, in message order.
    pub values: Vec<ScreenableValue>,
}

/// A value found in a message, to be screened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenableValue {
    /// Where it is: an ISO 20022 path below `CdtTrfTxInf` (`Cdtr/Nm`,
    /// `CdtrAgt/FinInstnId/BICFI`, `RmtInf/Ustrd`; group-level fields start `GrpHdr/`,
    /// pain.001 payment-information fields `PmtInf/`, the business application header
    /// `AppHdr/`; with several transactions or payment informations in one document the
    /// element carries its 1-based index, `CdtTrfTxInf[2]/Cdtr/Nm`), or a SWIFT MT tag (`:59:`,
    /// `:57A:`; `{1:}` and `{2:}` for the sender and receiver of the header blocks; fields of
    /// an MT202 COV's underlying customer credit transfer start `B/`).
    pub field: String,
    /// What kind of value it is, and how to screen it.
    #[serde(flatten)]
    pub kind: ValueKind,
    /// The value as written, white space collapsed; free text keeps its line breaks, so that a
    /// wrapped wallet address or name can be rejoined.
    pub value: String,
    /// The line of the input it is on (1-based).
    pub line: usize,
}

impl ScreenableValue {
    /// The value with its line breaks as spaces: what the name matcher and the free-text
    /// scanner read, so that a name wrapped over two MT lines is one mention again (the dev
    /// labels write such a mention with one space for the break).
    pub fn text(&self) -> Cow<'_, str> {
        if self.value.contains('\n') {
            Cow::Owned(self.value.replace('\n', " "))
        } else {
            Cow::Borrowed(&self.value)
        }
    }
}

impl Message {
    /// The party names to give the name matcher: `(value, party type, country)`.
    pub fn party_names(
        &self,
    ) -> impl Iterator<Item = (&ScreenableValue, PartyType, Option<CountryCode>)> {
        self.values.iter().filter_map(|value| match &value.kind {
            ValueKind::PartyName {
                party_type,
                country,
                ..
            } => Some((value, *party_type, *country)),
            _ => None,
        })
    }

    /// The free-text values to give the free-text scanner (remittance information,
    /// instructions, MT 70/72/77B).
    pub fn free_texts(&self) -> impl Iterator<Item = &ScreenableValue> {
        self.values
            .iter()
            .filter(|value| matches!(value.kind, ValueKind::FreeText))
    }
}

/// The kind of a screenable value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueKind {
    /// The name of a party: debtor, creditor, ultimate party, initiating party, an agent bank
    /// named in full, a contact person.
    PartyName {
        /// Whether the message says the party is a person or an organisation.
        party_type: PartyType,
        /// The party's postal address, when the message gives one.
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<PostalAddress>,
        /// The party's country (of its address, else of residence).
        #[serde(skip_serializing_if = "Option::is_none")]
        country: Option<CountryCode>,
    },
    /// A BIC (SWIFT code) as written; see [`crate::Bic`] to validate it.
    Bic,
    /// An IBAN whose country, length and check digits are valid.
    Iban {
        /// The IBAN's country.
        country: CountryCode,
    },
    /// Another account number (or an IBAN that does not validate).
    Account,
    /// A country code the message gives.
    Country {
        /// The code.
        country: CountryCode,
        /// What the country is of. Jurisdiction rules apply to where a party is (address,
        /// residence) and to regulatory reports, not to where it was born or who issued its
        /// papers.
        role: CountryRole,
    },
    /// Address text (street, town, region; or an MT name-and-address line after the name), to
    /// check against sanctioned places.
    Address,
    /// An identifier of a party other than a BIC or account: LEI, registration or national id,
    /// clearing-system member id.
    Identifier {
        /// The scheme, when given (`LEI`, `TXID`, `CCPT`, a clearing system code).
        #[serde(skip_serializing_if = "Option::is_none")]
        scheme: Option<String>,
    },
    /// Free text: remittance information, instructions, regulatory details.
    FreeText,
}

impl ValueKind {
    /// A short label for display and JSON: `party_name`, `bic`, `iban`, ...
    pub fn label(&self) -> &'static str {
        match self {
            ValueKind::PartyName { .. } => "party_name",
            ValueKind::Bic => "bic",
            ValueKind::Iban { .. } => "iban",
            ValueKind::Account => "account",
            ValueKind::Country { .. } => "country",
            ValueKind::Address => "address",
            ValueKind::Identifier { .. } => "identifier",
            ValueKind::FreeText => "free_text",
        }
    }
}

/// What a country in a message is the country of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryRole {
    /// A postal address (ISO 20022 `PstlAdr/Ctry`, MT 50F/59F `3/`, the last line of an MT
    /// name and address).
    Address,
    /// Residence (ISO 20022 `CtryOfRes`, MT 77B `/ORDERRES/` and `/BENEFRES/`).
    Residence,
    /// Birth (ISO 20022 `CtryOfBirth`, MT 50F `5/`).
    Birth,
    /// The issuer of an identity document (MT 50F party identifier, `6/`, `7/`).
    IdentityDocument,
    /// Any other (regulatory reporting, an authority).
    Other,
}

impl CountryRole {
    /// Whether the country says where the party is, so that jurisdiction rules apply.
    pub fn locates_party(self) -> bool {
        matches!(
            self,
            CountryRole::Address | CountryRole::Residence | CountryRole::Other
        )
    }
}

/// Whether a field says its party is a person or an organisation. The name matcher compares
/// with people only, organisations only, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyType {
    /// A natural person (ISO 20022 `Id/PrvtId`; MT 50F/59F with a birth date or place, or a
    /// personal identifier code).
    Person,
    /// An organisation (ISO 20022 `Id/OrgId`; any financial institution).
    Organization,
    /// The field does not say: screen against both.
    Unknown,
}

impl PartyType {
    /// The listed-entity schema to compare the name with; `None` for any (person or
    /// organisation alike).
    pub fn schema(self) -> Option<Schema> {
        match self {
            PartyType::Person => Some(Schema::Person),
            PartyType::Organization => Some(Schema::Organization),
            PartyType::Unknown => None,
        }
    }
}

/// A postal address as the message gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PostalAddress {
    /// Address lines: ISO 20022 `AdrLine`s or the street and building, MT lines after the name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_code: Option<String>,
    /// Town.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// Region, state, province (`CtrySubDvsn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdivision: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
}

impl PostalAddress {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
            && self.post_code.is_none()
            && self.town.is_none()
            && self.subdivision.is_none()
            && self.country.is_none()
    }

    /// The address as one line of text (country excluded), for place recognition.
    pub fn text(&self) -> String {
        let parts = self.lines.iter().map(String::as_str).chain(
            [&self.post_code, &self.town, &self.subdivision]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        parts.collect::<Vec<_>>().join(", ")
    }
}
