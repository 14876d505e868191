//! Integration tests of interdict-payments: every format and field option on fixtures in
//! `tests/data/`, each kind of bad input, and the 120 development messages of
//! `../shared/data/eval/payments_dev/` screened against the OFAC SDN list of 2024-03-14.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use interdict_payments::{
    CountryRole, Error, Hit, HitKind, JurisdictionTable, Limits, Message, MessageType, PartyType,
    Regime, ScreenableValue, Screener, ValueKind, parse, parse_message,
};
use interdict_sources::{Format as ListFormat, SourceFile};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shared(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative)
}

fn one(bytes: &[u8]) -> Message {
    parse_message(bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn all(bytes: &[u8]) -> Vec<Message> {
    parse(bytes, &Limits::default())
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// `(field, kind label, value)` of every value, for compact assertions.
fn triples(message: &Message) -> Vec<(String, &'static str, String)> {
    message
        .values
        .iter()
        .map(|v| (v.field.clone(), v.kind.label(), v.value.clone()))
        .collect()
}

fn has(message: &Message, field: &str, kind: &str, value: &str) -> bool {
    triples(message)
        .iter()
        .any(|(f, k, v)| f == field && *k == kind && v == value)
}

fn value<'a>(message: &'a Message, field: &str, kind: &str) -> &'a ScreenableValue {
    message
        .values
        .iter()
        .find(|v| v.field == field && v.kind.label() == kind)
        .unwrap_or_else(|| panic!("no {kind} at {field} in {:#?}", triples(message)))
}

/// The OFAC SDN list of 2024-03-14, parsed once.
fn ofac() -> &'static Vec<interdict_model::Entity> {
    static ENTITIES: OnceLock<Vec<interdict_model::Entity>> = OnceLock::new();
    ENTITIES.get_or_init(|| {
        let path = shared("lists/ofac-sdn-2024-03-14/sdn.csv");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = SourceFile {
            name: "sdn.csv".into(),
            bytes,
        };
        interdict_sources::parse(&[file], Some(ListFormat::OfacSdnCsv), None)
            .unwrap_or_else(|e| panic!("{e}"))
            .entities
    })
}

/// The day these tests screen on: every built-in jurisdiction rule but OFAC's ended Syria
/// programme is in force.
fn screening_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| Screener::new(ofac(), JurisdictionTable::builtin(Regime::Ofac)))
}

// --- ISO 20022 ---------------------------------------------------------------------------

#[test]
fn pacs008_dev_message_gives_parties_agents_accounts_and_remittance() {
    let bytes = std::fs::read(shared("eval/payments_dev/messages/PD030.pacs008.xml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let message = one(&bytes);
    assert_eq!(message.format.to_string(), "pacs.008.001.08");
    assert_eq!(message.message_id.as_deref(), Some("NLRM20240610812887"));
    assert_eq!(
        message.reference.as_deref(),
        Some("d982f10d-967f-4387-8a01-e69e7889eb75")
    );
    assert!(has(&message, "Dbtr/Nm", "party_name", "René Molina"));
    assert!(has(&message, "UltmtDbtr/Nm", "party_name", "Liliana Arco"));
    assert!(has(
        &message,
        "CdtrAgt/FinInstnId/BICFI",
        "bic",
        "SABRATWWXXX"
    ));
    assert!(has(
        &message,
        "IntrmyAgt1/FinInstnId/BICFI",
        "bic",
        "NHPUIN7R"
    ));
    assert!(has(
        &message,
        "CdtrAcct/Id/IBAN",
        "iban",
        "FR0365391139910557744076701"
    ));
    assert!(has(
        &message,
        "DbtrAcct/Id/Othr/Id",
        "account",
        "4355399649496"
    ));
    assert!(has(
        &message,
        "RmtInf/Ustrd",
        "free_text",
        "PAYROLL MAY 2024"
    ));
    assert!(has(&message, "Cdtr/PstlAdr/Ctry", "country", "FR"));
    let creditor = value(&message, "Cdtr/Nm", "party_name");
    assert_eq!(creditor.line, 49);
    match &creditor.kind {
        ValueKind::PartyName {
            party_type,
            address: Some(address),
            country: Some(country),
        } => {
            assert_eq!(*party_type, PartyType::Unknown);
            assert_eq!(address.town.as_deref(), Some("Bordeaux"));
            assert_eq!(address.lines, vec!["Rue Crebillon 122".to_owned()]);
            assert_eq!(country.as_str(), "FR");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pacs008_version_02_uses_bic_elements_and_indexes_several_transactions() {
    let message = one(&fixture("pacs008_v02_two_tx.xml"));
    assert_eq!(message.format.message_type, MessageType::Pacs008);
    assert_eq!(message.format.to_string(), "pacs.008.001.02");
    assert_eq!(message.reference.as_deref(), Some("E2E-A"));
    assert!(has(
        &message,
        "GrpHdr/InstgAgt/FinInstnId/BIC",
        "bic",
        "DEUTDEFF"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/Dbtr/Nm",
        "party_name",
        "Kovalenko & Sons Trading"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/Dbtr/Id/OrgId/BICOrBEI",
        "bic",
        "KOVATRUA"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/Dbtr/Id/OrgId/Othr/Id",
        "identifier",
        "UA-REG-4451190"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/DbtrAgt/FinInstnId/BIC",
        "bic",
        "DEUTDEFF500"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/Cdtr/Id/PrvtId/DtAndPlcOfBirth/CtryOfBirth",
        "country",
        "FR"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/Cdtr/CtryOfRes",
        "country",
        "FR"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/CdtrAcct/Id/Othr/Id",
        "account",
        "ACC-778899"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[1]/RmtInf/Ustrd",
        "free_text",
        "SECOND LINE"
    ));
    assert!(has(
        &message,
        "CdtTrfTxInf[2]/Cdtr/Nm",
        "party_name",
        "Tehran Trading Co"
    ));
    let party_type = |field: &str| match &value(&message, field, "party_name").kind {
        ValueKind::PartyName { party_type, .. } => *party_type,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        party_type("CdtTrfTxInf[1]/Dbtr/Nm"),
        PartyType::Organization
    );
    assert_eq!(party_type("CdtTrfTxInf[1]/Cdtr/Nm"), PartyType::Person);
    assert_eq!(party_type("CdtTrfTxInf[2]/Dbtr/Nm"), PartyType::Unknown);

    // Crimea by town, Iran by address country, BIC country and IBAN prefix; the rule named.
    let hits = screener().screen(&message, screening_date());
    let rules: BTreeMap<&str, &str> = hits
        .iter()
        .filter(|h| h.kind == HitKind::Jurisdiction)
        .map(|h| (h.field.as_str(), h.rule.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        rules.get("CdtTrfTxInf[1]/Dbtr/PstlAdr"),
        Some(&"OFAC-UA-CRIMEA")
    );
    assert_eq!(rules.get("CdtTrfTxInf[2]/Cdtr/PstlAdr"), Some(&"OFAC-IR"));
    assert_eq!(
        rules.get("CdtTrfTxInf[2]/Cdtr/PstlAdr/Ctry"),
        Some(&"OFAC-IR")
    );
    assert_eq!(
        rules.get("CdtTrfTxInf[2]/CdtrAgt/FinInstnId/BIC"),
        Some(&"OFAC-IR")
    );
    assert_eq!(
        rules.get("CdtTrfTxInf[2]/CdtrAcct/Id/IBAN"),
        Some(&"OFAC-IR")
    );
    assert!(!rules.keys().any(|f| f.starts_with("GrpHdr")));
}

#[test]
fn pacs009_cover_in_an_envelope_reads_header_agents_and_underlying_transfer() {
    let message = one(&fixture("pacs009_cov_v08.xml"));
    assert_eq!(message.format.to_string(), "pacs.009.001.08");
    assert_eq!(message.message_id.as_deref(), Some("COV-77"));
    assert!(has(
        &message,
        "AppHdr/Fr/FIId/FinInstnId/BICFI",
        "bic",
        "BARCGB22"
    ));
    assert!(has(&message, "Dbtr/FinInstnId/BICFI", "bic", "BARCGB22"));
    assert!(has(&message, "Cdtr/FinInstnId/BICFI", "bic", "SABRRUMM012"));
    assert!(has(
        &message,
        "CdtrAgt/FinInstnId/ClrSysMmbId/MmbId",
        "identifier",
        "021000021"
    ));
    assert!(has(
        &message,
        "CdtrAgt/FinInstnId/Nm",
        "party_name",
        "Correspondent Bank NA"
    ));
    assert!(has(
        &message,
        "UndrlygCstmrCdtTrf/Cdtr/Nm",
        "party_name",
        "Pyongyang Trading"
    ));
    assert!(has(
        &message,
        "UndrlygCstmrCdtTrf/RmtInf/Ustrd",
        "free_text",
        "CONTRACT 55"
    ));
    assert!(has(
        &message,
        "InstrForNxtAgt/InstrInf",
        "free_text",
        "COVER FOR MV KASMA IMO 8721351"
    ));

    let hits = screener().screen(&message, screening_date());
    // A branch of Sberbank's listed BIC8, the vessel KASMA by IMO number, Pyongyang by town.
    let bic = hits
        .iter()
        .find(|h| h.kind == HitKind::Bic && h.field == "Cdtr/FinInstnId/BICFI")
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(
        bic.entity_id.as_ref().map(|e| e.as_str()),
        Some("ofac-sdn:17018")
    );
    assert_eq!(bic.score, 1.0);
    assert!(
        bic.explanation.contains("branch 012"),
        "{}",
        bic.explanation
    );
    let imo = hits
        .iter()
        .find(|h| h.kind == HitKind::Imo)
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(
        imo.entity_id.as_ref().map(|e| e.as_str()),
        Some("ofac-sdn:25260")
    );
    assert_eq!(imo.value, "IMO 8721351");
    assert!(
        hits.iter()
            .any(|h| h.field == "UndrlygCstmrCdtTrf/Cdtr/PstlAdr"
                && h.rule.as_deref() == Some("OFAC-KP"))
    );
}

#[test]
fn pain001_reads_payment_information_and_transactions() {
    let message = one(&fixture("pain001_v09.xml"));
    assert_eq!(message.format.to_string(), "pain.001.001.09");
    assert_eq!(message.reference.as_deref(), Some("SAL-2024-06"));
    assert!(has(
        &message,
        "GrpHdr/InitgPty/Nm",
        "party_name",
        "Payroll Services BV"
    ));
    assert!(has(
        &message,
        "GrpHdr/InitgPty/Id/OrgId/LEI",
        "identifier",
        "724500VKKSH9QOLTFR81"
    ));
    assert!(has(
        &message,
        "PmtInf/Dbtr/Nm",
        "party_name",
        "Payroll Services BV"
    ));
    assert!(has(
        &message,
        "PmtInf/DbtrAcct/Id/IBAN",
        "iban",
        "NL91ABNA0417164300"
    ));
    assert!(has(
        &message,
        "PmtInf/DbtrAgt/FinInstnId/BICFI",
        "bic",
        "ABNANL2A"
    ));
    assert!(has(&message, "Cdtr/Nm", "party_name", "Jan de Vries"));
    assert!(has(
        &message,
        "Cdtr/Id/PrvtId/Othr/Id",
        "identifier",
        "NL-PASS-99887766"
    ));
    assert!(has(
        &message,
        "CdtrAcct/Id/IBAN",
        "iban",
        "GB82WEST12345698765432"
    ));
    let hits = screener().screen(&message, screening_date());
    assert!(hits.iter().any(|h| {
        h.kind == HitKind::Bic
            && h.field == "CdtrAgt/FinInstnId/BICFI"
            && h.entity_id
                .as_ref()
                .is_some_and(|e| e.as_str() == "ofac-sdn:906")
    }));

    // A message element sent without its Document wrapper, namespace on it.
    let bare = one(b"<CstmrCdtTrfInitn xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.12\"><GrpHdr><MsgId>B</MsgId></GrpHdr><PmtInf><CdtTrfTxInf><Cdtr><Nm>Bare Payee</Nm></Cdtr></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn>");
    assert_eq!(bare.format.to_string(), "pain.001.001.12");
    assert!(has(&bare, "Cdtr/Nm", "party_name", "Bare Payee"));

    let old = one(&fixture("pain001_v03_no_namespace.xml"));
    assert_eq!(old.format.to_string(), "pain.001");
    assert!(has(
        &old,
        "PmtInf[1]/DbtrAgt/FinInstnId/BIC",
        "bic",
        "INGBNL2A"
    ));
    assert!(has(
        &old,
        "PmtInf[2]/Dbtr/Nm",
        "party_name",
        "Old Corp Treasury"
    ));
    assert!(has(
        &old,
        "CdtTrfTxInf[2]/Cdtr/Nm",
        "party_name",
        "Second Payee"
    ));
}

// --- SWIFT MT ----------------------------------------------------------------------------

#[test]
fn mt103_structured_and_lettered_options() {
    let message = one(&fixture("mt103_options.txt"));
    assert_eq!(message.format.message_type, MessageType::Mt103);
    assert_eq!(message.message_id.as_deref(), Some("OPTF-1"));
    assert_eq!(
        message.reference.as_deref(),
        Some("0f4e6c5e-9bd5-4b1c-8a8e-1a2b3c4d5e6f")
    );
    assert!(has(&message, "{1:}", "bic", "BANKBEBBXXX"));
    assert!(has(&message, "{2:}", "bic", "BANKDEFFXXX"));
    // 50F: identifier with issuing country, name over two `1/` lines, a person by birth date.
    assert!(has(&message, ":50F:", "identifier", "K12345678"));
    let ordering = value(&message, ":50F:", "party_name");
    assert_eq!(ordering.value, "KARIMI REZA");
    assert_eq!(ordering.line, 6);
    match &ordering.kind {
        ValueKind::PartyName {
            party_type,
            address: Some(address),
            country,
        } => {
            assert_eq!(*party_type, PartyType::Person);
            assert_eq!(address.town.as_deref(), Some("TEHRAN"));
            assert_eq!(country.map(|c| c.to_string()).as_deref(), Some("IR"));
        }
        other => panic!("{other:?}"),
    }
    // The town of the address is an address; the place of birth is not.
    assert!(has(&message, ":50F:", "address", "TEHRAN"));
    assert!(!has(&message, ":50F:", "address", "TABRIZ"));
    let roles: Vec<CountryRole> = message
        .values
        .iter()
        .filter(|v| v.field == ":50F:")
        .filter_map(|v| match v.kind {
            ValueKind::Country { role, .. } => Some(role),
            _ => None,
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            CountryRole::IdentityDocument,
            CountryRole::Address,
            CountryRole::Birth
        ]
    );
    assert!(has(&message, ":52D:", "account", "987654"));
    assert!(has(&message, ":52D:", "party_name", "FIRST REGIONAL BANK"));
    assert!(has(&message, ":52D:", "country", "US"));
    assert!(has(&message, ":53B:", "account", "11223344"));
    assert!(has(&message, ":53B:", "address", "NEW YORK"));
    assert!(has(&message, ":54A:", "bic", "CHASUS33"));
    assert!(has(&message, ":56C:", "account", "CH123456"));
    assert!(has(&message, ":57D:", "account", "FW021000021"));
    assert!(has(&message, ":57D:", "party_name", "HAVIN BANK"));
    assert!(has(&message, ":59F:", "iban", "DE89370400440532013000"));
    assert!(has(&message, ":59F:", "party_name", "SEVASTOPOL SHIPPING"));
    assert!(has(&message, ":72:", "bic", "HAVIGB2L"));
    assert!(has(
        &message,
        ":72:",
        "free_text",
        "/INS/HAVIGB2L\n/ACC/URGENT"
    ));
    assert!(has(&message, ":77B:", "country", "IR"));
    assert!(has(&message, ":77B:", "country", "UA"));

    let hits = screener().screen(&message, screening_date());
    let jurisdictions: HashSet<(&str, &str)> = hits
        .iter()
        .filter_map(|h| Some((h.field.as_str(), h.rule.as_deref()?)))
        .collect();
    assert!(jurisdictions.contains(&(":50F:", "OFAC-IR")));
    assert!(jurisdictions.contains(&(":59F:", "OFAC-UA-CRIMEA")));
    assert!(jurisdictions.contains(&(":77B:", "OFAC-IR")));
    assert!(hits.iter().any(|h| {
        h.field == ":72:"
            && h.kind == HitKind::Bic
            && h.entity_id
                .as_ref()
                .is_some_and(|e| e.as_str() == "ofac-sdn:906")
    }));
}

#[test]
fn mt103_options_a_read_accounts_and_bics_and_output_headers() {
    let message = one(&fixture("mt103_50a_59a.txt"));
    assert!(has(&message, ":50A:", "iban", "GB82WEST12345698765432"));
    assert!(has(&message, ":50A:", "bic", "NWBKGB2L"));
    assert!(has(&message, ":59A:", "account", "40702840287486347291"));
    assert!(has(&message, ":59A:", "bic", "SABRRUMM"));
    // An output message's block 2 names the sender.
    assert!(has(&message, "{2:}", "bic", "SABRRUMMXXX"));
    let hits = screener().screen(&message, screening_date());
    let bic_fields: Vec<&str> = hits
        .iter()
        .filter(|h| h.kind == HitKind::Bic)
        .map(|h| h.field.as_str())
        .collect();
    assert!(bic_fields.contains(&":59A:"), "{hits:#?}");
    assert!(bic_fields.contains(&"{2:}"), "{hits:#?}");
}

#[test]
fn mt103_wrapped_lines_are_rejoined() {
    let message = one(&fixture("mt103_wrapped.txt"));
    let beneficiary = value(&message, ":59:", "party_name");
    assert_eq!(
        beneficiary.value,
        "INTERNATIONAL MARITIME CONSULTANCY SERVICES LIMITED"
    );
    // The ordering customer's single-line name is not joined with its street.
    assert_eq!(value(&message, ":50K:", "party_name").value, "JOHN SMITH");
    assert!(has(&message, ":59:", "country", "CY"));
    // The free text as the scanner reads it: the wrapped name is one mention again.
    let remittance: Vec<String> = message
        .free_texts()
        .map(|v| v.text().into_owned())
        .collect();
    assert_eq!(
        remittance,
        vec![
            "SETTLE TO 0x901bb9583b24d97e995513c67 78dc6888ab6870e FOR CHARTER OF VESSEL IMO 9209300"
        ]
    );
    let names: Vec<(&str, Option<interdict_model::Schema>)> = message
        .party_names()
        .map(|(v, party_type, _)| (v.value.as_str(), party_type.schema()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("JOHN SMITH", None),
            ("INTERNATIONAL MARITIME CONSULTANCY SERVICES LIMITED", None)
        ]
    );
    let hits = screener().screen(&message, screening_date());
    let wallet = hits
        .iter()
        .find(|h| h.kind == HitKind::CryptoAddress)
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(wallet.field, ":70:");
    assert_eq!(wallet.value, "0x901bb9583b24d97e995513c6778dc6888ab6870e");
    assert_eq!(
        wallet.entity_id.as_ref().map(|e| e.as_str()),
        Some("ofac-sdn:29702")
    );
    assert!(
        wallet.explanation.contains("two lines"),
        "{}",
        wallet.explanation
    );
    let imo = hits
        .iter()
        .find(|h| h.kind == HitKind::Imo)
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(imo.value, "IMO 9209300");
}

#[test]
fn mt202_and_mt202_cov_in_one_input() {
    let messages = all(&fixture("mt202_and_cov.txt"));
    assert_eq!(messages.len(), 2);
    let (plain, cover) = (&messages[0], &messages[1]);
    assert_eq!(plain.format.message_type, MessageType::Mt202);
    assert_eq!(plain.reference.as_deref(), Some("REL-1"));
    assert!(has(plain, ":58A:", "bic", "BMJIIRTH"));
    assert!(has(plain, ":57A:", "bic", "SEPBIRTH"));
    assert_eq!(cover.format.to_string(), "MT202 COV");
    assert_eq!(cover.line, 11);
    assert!(has(cover, ":52A:", "bic", "BANKBEBB"));
    assert!(has(cover, "B/:52A:", "bic", "KDBKKPPY"));
    assert!(has(cover, "B/:50K:", "party_name", "ACME EXPORTS NV"));
    assert!(has(cover, "B/:59:", "party_name", "PYONGYANG TRADERS"));
    assert_eq!(value(cover, "B/:59:", "party_name").line, 23);

    let hits = screener().screen(&messages[0], screening_date());
    let sepah = hits
        .iter()
        .find(|h| h.field == ":57A:" && h.kind == HitKind::Bic)
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(
        sepah.entity_id.as_ref().map(|e| e.as_str()),
        Some("ofac-sdn:25580")
    );
    let hits = screener().screen(cover, screening_date());
    assert!(hits.iter().any(|h| {
        h.field == "B/:52A:"
            && h.entity_id
                .as_ref()
                .is_some_and(|e| e.as_str() == "ofac-sdn:12312")
    }));
    assert!(
        hits.iter()
            .any(|h| h.field == "B/:59:" && h.rule.as_deref() == Some("OFAC-KP"))
    );
}

#[test]
fn rje_and_dos_pcc_separators_between_mt_messages() {
    let one_message = String::from_utf8(fixture("mt103_wrapped.txt")).unwrap_or_default();
    let one_message = one_message.trim_end();
    let rje = format!("{one_message}\r\n$\r\n{one_message}\r\n$");
    let messages = all(rje.as_bytes());
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].line, 21);
    let pcc = format!("\u{1}{one_message}\u{3}\u{1}{one_message}\u{3}");
    assert_eq!(all(pcc.as_bytes()).len(), 2);
}

// --- BIC8 / BIC11 ------------------------------------------------------------------------

fn bic_value(bic: &str) -> ScreenableValue {
    ScreenableValue {
        field: "CdtrAgt/FinInstnId/BICFI".into(),
        kind: ValueKind::Bic,
        value: bic.into(),
        line: 1,
    }
}

fn bic_hits(bic: &str) -> Vec<Hit> {
    screener()
        .screen_value(&bic_value(bic), screening_date())
        .into_iter()
        .filter(|h| h.kind == HitKind::Bic)
        .collect()
}

#[test]
fn a_listed_bic8_covers_its_primary_office_and_branches() {
    // Sberbank (17018) is listed with BIC8 SABRRUMM.
    for written in ["SABRRUMM", "SABRRUMMXXX", "sabrrumm", "SABRRUMM012"] {
        let hits = bic_hits(written);
        assert!(
            hits.iter().any(|h| h
                .entity_id
                .as_ref()
                .is_some_and(|e| e.as_str() == "ofac-sdn:17018")
                && h.score == 1.0),
            "{written}: {hits:#?}"
        );
    }
    // Another institution in the same town and a malformed BIC are not hits.
    assert!(bic_hits("SABRRUM2").is_empty());
    assert!(bic_hits("SABRRUMMX").is_empty());
}

#[test]
fn a_listed_branch_bic11_matches_exactly_and_its_institution_weaker() {
    let entity = interdict_model::Entity {
        identifiers: vec![interdict_model::Identifier::new(
            interdict_model::IdentifierKind::SwiftBic,
            "TESTDEFF123",
        )],
        ..test_entity("x:1", "TEST BANK BRANCH")
    };
    let screener = Screener::new([&entity], JurisdictionTable::default());
    let score = |bic: &str| {
        screener
            .screen_value(&bic_value(bic), screening_date())
            .iter()
            .filter(|h| h.kind == HitKind::Bic)
            .map(|h| h.score)
            .fold(None, |best: Option<f64>, s| {
                Some(best.map_or(s, |b| b.max(s)))
            })
    };
    assert_eq!(score("TESTDEFF123"), Some(1.0));
    assert_eq!(score("TESTDEFF"), Some(0.8));
    assert_eq!(score("TESTDEFFXXX"), Some(0.8));
    assert_eq!(score("TESTDEFF999"), Some(0.8));
    assert_eq!(score("TESTDEFG123"), None);
}

fn test_entity(id: &str, name: &str) -> interdict_model::Entity {
    let json = serde_json::json!({
        "id": id, "schema": "organization", "name": name,
        "names": [{"full": name, "kind": "primary"}],
        "source": {"format": "test", "file": "test", "location": "1", "raw": ""}
    });
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn birth_and_document_countries_place_no_one_in_a_jurisdiction() {
    let text = String::from_utf8(fixture("pacs008_v02_two_tx.xml")).unwrap_or_default();
    let born_in_iran = text.replace(
        "<CtryOfBirth>FR</CtryOfBirth>",
        "<CtryOfBirth>IR</CtryOfBirth>",
    );
    let message = one(born_in_iran.as_bytes());
    let birth = value(
        &message,
        "CdtTrfTxInf[1]/Cdtr/Id/PrvtId/DtAndPlcOfBirth/CtryOfBirth",
        "country",
    );
    assert_eq!(birth.value, "IR");
    assert!(screener().screen_value(birth, screening_date()).is_empty());
    // A vessel named as the creditor with its IMO number.
    let vessel = text.replace("<Nm>Marie Dubois</Nm>", "<Nm>MV KASMA (IMO 8721351)</Nm>");
    let message = one(vessel.as_bytes());
    let hits = screener().screen(&message, screening_date());
    assert!(hits.iter().any(|h| {
        h.kind == HitKind::Imo
            && h.field == "CdtTrfTxInf[1]/Cdtr/Nm"
            && h.entity_id
                .as_ref()
                .is_some_and(|e| e.as_str() == "ofac-sdn:25260")
    }));
    let resident_in_iran = text.replace("<CtryOfRes>FR</CtryOfRes>", "<CtryOfRes>IR</CtryOfRes>");
    let message = one(resident_in_iran.as_bytes());
    let residence = value(&message, "CdtTrfTxInf[1]/Cdtr/CtryOfRes", "country");
    let hits = screener().screen_value(residence, screening_date());
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].rule.as_deref(), Some("OFAC-IR"));
    assert!(
        hits[0].explanation.contains("Iranian Transactions"),
        "{}",
        hits[0].explanation
    );
}

#[test]
fn a_syrian_creditor_is_stopped_before_eo_14312_and_not_after() {
    let text = String::from_utf8(fixture("pacs008_v02_two_tx.xml")).unwrap_or_default();
    let in_syria = text.replace("<CtryOfRes>FR</CtryOfRes>", "<CtryOfRes>SY</CtryOfRes>");
    assert_ne!(in_syria, text, "the fixture names the creditor's residence");
    let message = one(in_syria.as_bytes());
    let syria_hits = |date: (i32, u32, u32)| -> Vec<Hit> {
        let date = chrono::NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap_or_default();
        screener()
            .screen(&message, date)
            .into_iter()
            .filter(|h| h.rule.as_deref() == Some("OFAC-SY"))
            .collect()
    };
    let before = syria_hits((2025, 6, 30));
    assert_eq!(before.len(), 1, "{before:#?}");
    assert_eq!(before[0].field, "CdtTrfTxInf[1]/Cdtr/CtryOfRes");
    assert!(
        before[0].explanation.contains("14312"),
        "{}",
        before[0].explanation
    );
    assert!(syria_hits((2025, 7, 1)).is_empty());
    // The other rules are unaffected: the Iranian IBAN of the second transaction still hits.
    let after = screener().screen(
        &message,
        chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default(),
    );
    assert!(after.iter().any(|h| h.rule.as_deref() == Some("OFAC-IR")));
}

// --- IBAN countries ----------------------------------------------------------------------

#[test]
fn iban_country_decides_the_jurisdiction_and_invalid_ibans_are_accounts() {
    let message = one(&fixture("pacs008_v02_two_tx.xml"));
    match &value(&message, "CdtTrfTxInf[2]/CdtrAcct/Id/IBAN", "iban").kind {
        ValueKind::Iban { country } => assert_eq!(country.as_str(), "IR"),
        other => panic!("{other:?}"),
    }
    let text = String::from_utf8(fixture("pacs008_v02_two_tx.xml")).unwrap_or_default();
    // One check digit changed: no longer an IBAN, so no country is read from it.
    let broken = text.replace("IR474373859454459040977807", "IR474373859454459040977808");
    let message = one(broken.as_bytes());
    let account = value(&message, "CdtTrfTxInf[2]/CdtrAcct/Id/IBAN", "account");
    let hits = screener().screen_value(account, screening_date());
    assert!(hits.is_empty(), "{hits:#?}");
}

// --- Bad input ---------------------------------------------------------------------------

fn error_of(bytes: &[u8]) -> Error {
    match parse_message(bytes, &Limits::default()) {
        Ok(message) => panic!("parsed: {message:#?}"),
        Err(error) => error,
    }
}

#[test]
fn dtds_and_entity_expansion_are_refused() {
    let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<Document><FIToFICstmrCdtTrf><GrpHdr><MsgId>&lol2;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>";
    let error = error_of(bomb);
    assert_eq!(error.code(), "doctype_refused");
    assert_eq!(error.line(), Some(2));
    // Without a DTD an undeclared entity is an error, not expanded or dropped.
    let undeclared = b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">\n<FIToFICstmrCdtTrf><GrpHdr><MsgId>&ext;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>";
    let error = error_of(undeclared);
    assert_eq!(error.code(), "malformed");
    assert_eq!(error.line(), Some(2));
    assert_eq!(
        error.element(),
        Some("Document/FIToFICstmrCdtTrf/GrpHdr/MsgId")
    );
}

#[test]
fn malformed_xml_names_line_and_element() {
    let text = String::from_utf8(fixture("pain001_v09.xml")).unwrap_or_default();
    let mismatched = text.replace("<Nm>Jan de Vries</Nm>", "<Nm>Jan de Vries</Name>");
    let error = error_of(mismatched.as_bytes());
    assert_eq!(error.code(), "malformed");
    assert_eq!(error.line(), Some(21), "{error}");
    assert!(
        error
            .element()
            .is_some_and(|e| e.ends_with("CdtTrfTxInf/Cdtr/Nm")),
        "{error}"
    );

    let truncated = &text.as_bytes()[..text.find("<RmtInf>").unwrap_or(0)];
    let error = error_of(truncated);
    assert_eq!(error.code(), "malformed");
    assert!(error.to_string().contains("truncated"), "{error}");
    assert_eq!(error.line(), Some(22), "{error}");
    let cut_in_a_tag = &text.as_bytes()[..text.find("<RmtInf>").unwrap_or(0) + 4];
    assert_eq!(error_of(cut_in_a_tag).line(), Some(23));

    let no_header = text
        .replace("<GrpHdr>", "<GrpHdrX>")
        .replace("</GrpHdr>", "</GrpHdrX>");
    let error = error_of(no_header.as_bytes());
    assert_eq!(error.code(), "missing_field");
    assert_eq!(error.element(), Some("CstmrCdtTrfInitn/GrpHdr"));

    let camt = b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt/></Document>";
    let error = error_of(camt);
    assert_eq!(error.code(), "unsupported_type");
    assert!(error.to_string().contains("camt.053.001.08"), "{error}");
}

#[test]
fn malformed_mt_names_line_and_block_or_field() {
    let text = String::from_utf8(fixture("mt103_wrapped.txt")).unwrap_or_default();
    let unterminated = text.replace("-}", "");
    let error = error_of(unterminated.as_bytes());
    assert_eq!(error.code(), "malformed");
    assert_eq!(error.element(), Some("{4:}"));
    assert_eq!(error.line(), Some(1));

    let without_beneficiary = text.replace(":59:", ":58:");
    let error = error_of(without_beneficiary.as_bytes());
    assert_eq!(error.code(), "missing_field");
    assert_eq!(error.element(), Some(":59a:"));

    let statement = text.replace("{2:I103", "{2:I940");
    let error = error_of(statement.as_bytes());
    assert_eq!(error.code(), "unsupported_type");
    assert!(error.to_string().contains("MT940"), "{error}");

    let garbage_between = text.replace("}{4:", "}garbage{4:");
    assert_eq!(error_of(garbage_between.as_bytes()).code(), "malformed");

    let mut invalid_utf8 = text.clone().into_bytes();
    let at = text.find("JOHN").unwrap_or(0);
    invalid_utf8[at] = 0xff;
    let error = error_of(&invalid_utf8);
    assert_eq!(error.code(), "malformed");
    assert_eq!(error.line(), Some(6));
}

#[test]
fn empty_unknown_oversized_and_overdeep_inputs_are_refused() {
    assert_eq!(error_of(b"").code(), "unknown_format");
    assert_eq!(error_of(b"   \n ").code(), "unknown_format");
    assert_eq!(error_of(b"hello world").code(), "unknown_format");
    let small = Limits {
        max_message_bytes: 100,
        ..Limits::default()
    };
    let big = fixture("pain001_v09.xml");
    assert!(matches!(
        parse_message(&big, &small),
        Err(Error::TooLarge { limit: 100, .. })
    ));
    let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
    assert_eq!(error_of(deep.as_bytes()).code(), "limit_exceeded");
    let many = Limits {
        max_elements: 20,
        ..Limits::default()
    };
    assert!(matches!(
        parse_message(&big, &many),
        Err(Error::LimitExceeded {
            what: "XML elements",
            ..
        })
    ));
}

#[test]
fn a_bad_message_in_a_batch_does_not_stop_the_others() {
    let good = String::from_utf8(fixture("mt103_wrapped.txt")).unwrap_or_default();
    let good = good.trim_end();
    let bad = good.replace(":59:", ":58:");
    let batch = format!("{good}\n{bad}\n{good}\n");
    let results = parse(batch.as_bytes(), &Limits::default());
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok());
    assert!(results[2].is_ok());
    let error = results[1]
        .as_ref()
        .err()
        .unwrap_or_else(|| panic!("second parsed"));
    assert_eq!(error.code(), "missing_field");
    // Each message has 19 lines: the second's block 4 opens on the input's 20th.
    assert_eq!(error.line(), Some(20), "{error}");
    let third = results[2].as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(third.line, 39);
    assert_eq!(value(third, ":59:", "party_name").line, 48);
}

// --- The development set -----------------------------------------------------------------

#[derive(Debug, serde::Deserialize)]
struct Label {
    message_file: String,
    field: String,
    mention_text: String,
    ofac_ent_num: String,
    kind: String,
}

#[derive(Debug, serde::Deserialize)]
struct Trap {
    message_file: String,
    trap_text: String,
    kind: String,
}

#[derive(Debug, serde::Deserialize)]
struct Expected {
    message_file: String,
    format: String,
    expected: String,
}

fn read_csv<T: serde::de::DeserializeOwned>(name: &str) -> Vec<T> {
    let path = shared("eval/payments_dev").join(name);
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .deserialize()
        .map(|row| row.unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

fn dev_messages() -> BTreeMap<String, Message> {
    let mut messages = BTreeMap::new();
    for expected in read_csv::<Expected>("manifest.csv") {
        let path = shared("eval/payments_dev/messages").join(&expected.message_file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut parsed = parse(&bytes, &Limits::default());
        assert_eq!(parsed.len(), 1, "{}", expected.message_file);
        let message = parsed
            .remove(0)
            .unwrap_or_else(|e| panic!("{}: {e}", expected.message_file));
        assert_eq!(
            message.format.to_string(),
            expected.format,
            "{}",
            expected.message_file
        );
        messages.insert(expected.message_file, message);
    }
    messages
}

#[test]
fn every_dev_message_parses_and_every_label_is_in_its_field() {
    let messages = dev_messages();
    assert_eq!(messages.len(), 120);
    let labels = read_csv::<Label>("labels.csv");
    assert!(labels.len() >= 50);
    for label in &labels {
        let message = &messages[&label.message_file];
        let found = message.values.iter().any(|v| {
            v.field == label.field && v.value.replace('\n', " ").contains(&label.mention_text)
        });
        assert!(
            found,
            "{} {}: {:?} not in {:#?}",
            label.message_file,
            label.field,
            label.mention_text,
            triples(message)
        );
        // Names in party fields are whole party names, not parts of longer text.
        if label.kind == "name"
            && (label.field.ends_with("/Nm") || matches!(label.field.as_str(), ":50K:" | ":59:"))
        {
            let name = message
                .values
                .iter()
                .find(|v| v.field == label.field && matches!(v.kind, ValueKind::PartyName { .. }))
                .unwrap_or_else(|| panic!("{label:?}"));
            assert_eq!(name.value, label.mention_text, "{label:?}");
        }
    }
}

#[test]
fn dev_bic_imo_and_wallet_labels_are_found_and_clean_messages_stay_clean() {
    let messages = dev_messages();
    let labels = read_csv::<Label>("labels.csv");
    let manifest = read_csv::<Expected>("manifest.csv");
    let screener = screener();
    let hits: BTreeMap<&str, Vec<Hit>> = messages
        .iter()
        .map(|(file, message)| (file.as_str(), screener.screen(message, screening_date())))
        .collect();

    let mut wanted = 0;
    for label in labels
        .iter()
        .filter(|l| matches!(l.kind.as_str(), "bic" | "imo" | "crypto"))
    {
        wanted += 1;
        let kind = match label.kind.as_str() {
            "bic" => HitKind::Bic,
            "imo" => HitKind::Imo,
            _ => HitKind::CryptoAddress,
        };
        let entity = format!("ofac-sdn:{}", label.ofac_ent_num);
        let found = hits[label.message_file.as_str()].iter().any(|h| {
            h.kind == kind
                && h.field == label.field
                && h.entity_id.as_ref().is_some_and(|e| e.as_str() == entity)
        });
        assert!(found, "{label:?}: {:#?}", hits[label.message_file.as_str()]);
    }
    assert_eq!(wanted, 25);

    // Clean messages: no hit of any kind. Messages with a party: every listed entity hit is
    // one the labels name (no stray BIC, IMO or wallet hits).
    for expected in &manifest {
        let found = &hits[expected.message_file.as_str()];
        if expected.expected == "clean" {
            assert!(found.is_empty(), "{}: {found:#?}", expected.message_file);
            continue;
        }
        let labelled: HashSet<String> = labels
            .iter()
            .filter(|l| l.message_file == expected.message_file)
            .map(|l| format!("ofac-sdn:{}", l.ofac_ent_num))
            .collect();
        for hit in found.iter().filter(|h| h.entity_id.is_some()) {
            let id = hit
                .entity_id
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default();
            assert!(
                labelled.contains(&id),
                "{}: {hit:#?}",
                expected.message_file
            );
        }
    }

    // Unlisted IMO numbers and wallets with valid checksums are no hits.
    for trap in read_csv::<Trap>("traps.csv") {
        if matches!(trap.kind.as_str(), "unlisted_imo" | "unlisted_crypto") {
            let found = &hits[trap.message_file.as_str()];
            assert!(
                !found.iter().any(|h| h.value.contains(&trap.trap_text)),
                "{trap:?}: {found:#?}"
            );
        }
    }
}

#[test]
fn hits_serialise_for_the_json_contract() {
    let message = all(&fixture("mt202_and_cov.txt")).remove(0);
    let hits = screener().screen(&message, screening_date());
    let json = serde_json::to_value(&hits).unwrap_or_else(|e| panic!("{e}"));
    let first = &json[0];
    assert_eq!(first["field"], ":57A:");
    assert_eq!(first["kind"], "bic");
    assert_eq!(first["value"], "SEPBIRTH");
    assert_eq!(first["entity_id"], "ofac-sdn:25580");
    assert_eq!(first["listed_name"], "BANK SEPAH");
    assert_eq!(first["score"], 1.0);
    let values = serde_json::to_value(&message).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(values["format"], "MT202");
    assert_eq!(values["values"][0]["kind"], "bic");
}

#[test]
fn a_screener_is_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Screener>();
    shareable::<Message>();
}

// --- No input panics ---------------------------------------------------------------------

fn fixtures() -> Vec<Vec<u8>> {
    [
        "pacs008_v02_two_tx.xml",
        "pacs009_cov_v08.xml",
        "pain001_v09.xml",
        "mt103_options.txt",
        "mt103_wrapped.txt",
        "mt202_and_cov.txt",
    ]
    .iter()
    .map(|name| fixture(name))
    .collect()
}

/// Parses and screens `bytes`; only a panic fails.
fn parse_and_screen(bytes: &[u8]) {
    let screener = Screener::new([], JurisdictionTable::builtin(Regime::Ofac));
    for message in parse(bytes, &Limits::default()).into_iter().flatten() {
        let _ = screener.screen(&message, screening_date());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        parse_and_screen(&bytes);
    }

    #[test]
    fn damaged_messages_never_panic(
        which in 0usize..6,
        cut in proptest::num::usize::ANY,
        length in 0usize..64,
        insert in proptest::collection::vec(proptest::num::u8::ANY, 0..16),
    ) {
        let mut bytes = fixtures().swap_remove(which);
        let at = cut % (bytes.len() + 1);
        let end = (at + length).min(bytes.len());
        bytes.splice(at..end, insert);
        parse_and_screen(&bytes);
    }
}
