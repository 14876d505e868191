//! OFAC SDN XML (`sdn.xml`: root `sdnList` in namespace `http://tempuri.org/sdnList.xsd`, a
//! `publshInformation` header and one `sdnEntry` per listed party).
//!
//! Mapping choices worth knowing:
//! - The id is `<list>:<uid>`, the same as the legacy CSV's `<list>:<ent_num>`, and names are
//!   written as the CSV writes them (`LAST, First`), so both formats of one list version give the
//!   same entities.
//! - `idList/id` entries are the CSV remarks in structured form (`idType` is the remark label,
//!   `idNumber` its value, plus `idCountry`, `issueDate`, `expirationDate`); each is written
//!   back as a remark statement and read by [`crate::ofac_remarks`], so both formats map a label
//!   the same way (`Gender`, `Vessel Registration Identification`, `Digital Currency Address -
//!   XBT`, `Additional Sanctions Information -`, ...).
//! - `akaList/aka` of category `strong` are strong aliases, `weak` ones weak; `f.k.a.` and
//!   `n.k.a.` are former and new names.
//! - A `Record_Count` in `publshInformation` that differs from the entries found is an issue:
//!   the file lost or gained records on the way. `Publish_Date` (US order, `MM/DD/YYYY`) is the
//!   publication date; one that does not read as a date is an issue.
//! - The file is read as a stream, one `sdnEntry` at a time ([`crate::xml`]). Malformed XML, a
//!   wrong root, or an end of file inside an element (a cut-off download) is an error.

use interdict_model::{Address, Entity, EntityId, NameKind, PartialDate, Schema, SourceRecord};

use crate::ofac_remarks::{self, VesselInfo};
use crate::xml::{self, Element};
use crate::{Error, Format, Issue, Parsed, SourceFile};

/// Parses an OFAC `sdn.xml` file into entities.
pub(crate) fn parse(files: &[SourceFile], list: &str) -> Result<Parsed, Error> {
    let file = match files {
        [only] => only,
        [first, second, ..] => {
            let extra = if first.base_name().eq_ignore_ascii_case("sdn.xml") {
                second
            } else {
                first
            };
            return Err(Error::Malformed {
                file: extra.name.clone(),
                location: "file name".into(),
                reason: "the OFAC SDN XML format is a single file (sdn.xml)".into(),
            });
        }
        [] => return Err(Error::NoInput),
    };
    let content = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    if !content.trim_ascii_start().starts_with(b"<") {
        // Said plainly: the XML reader would stumble on the first `&` or `<` of a CSV instead.
        return Err(Error::Malformed {
            file: file.name.clone(),
            location: "line 1".into(),
            reason: "does not start with an XML tag: not an OFAC SDN XML file".into(),
        });
    }
    let mut entities = Vec::new();
    let mut issues = Vec::new();
    let mut entries = 0usize;
    let mut record_count: Option<String> = None;
    let mut publish_date: Option<String> = None;
    let encoding = xml::read_records(file, check_root, 2, |record| {
        match record.element.name.as_str() {
            "sdnEntry" => {
                entries += 1;
                match entity_of(&record.element, list) {
                    Ok(mut entity) => {
                        entity.source = SourceRecord {
                            format: Format::OfacSdnXml.name().into(),
                            file: file.base_name().to_owned(),
                            location: format!("line {}", record.line),
                            raw: record.raw,
                        };
                        entities.push(entity);
                    }
                    Err(message) => issues.push(Issue {
                        file: file.name.clone(),
                        location: format!("line {} (sdnEntry {entries})", record.line),
                        message,
                    }),
                }
            }
            "publshInformation" => {
                record_count = record.element.child_text("Record_Count");
                publish_date = record.element.child_text("Publish_Date");
            }
            _ => {}
        }
    })?;

    if entries == 0 {
        return Err(Error::Malformed {
            file: file.name.clone(),
            location: "line 1".into(),
            reason: "no sdnEntry records".into(),
        });
    }
    if let Some(count) = record_count
        && count.parse::<usize>().ok() != Some(entries)
    {
        issues.push(Issue {
            file: file.name.clone(),
            location: "publshInformation".into(),
            message: format!("Record_Count is {count} but the file has {entries} sdnEntry records"),
        });
    }
    let published = publish_date.as_deref().and_then(|text| {
        let date = us_date(text);
        if date.is_none() {
            issues.push(Issue {
                file: file.name.clone(),
                location: "publshInformation".into(),
                message: format!("Publish_Date {text:?} is not a date (MM/DD/YYYY)"),
            });
        }
        date
    });
    ofac_remarks::resolve_link_targets(&mut entities);
    for entity in &mut entities {
        entity.collect_countries();
    }
    Ok(Parsed {
        format: Format::OfacSdnXml,
        list: list.to_owned(),
        entities,
        issues,
        encoding: Some(encoding),
        published,
    })
}

/// A US-order `MM/DD/YYYY` date.
fn us_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.trim().split('/');
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    PartialDate::ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

fn check_root(root: &Element) -> Result<(), String> {
    if root.name == "sdnList" {
        Ok(())
    } else {
        Err(format!(
            "root element is <{}>, not <sdnList>: not an OFAC SDN XML file",
            root.name
        ))
    }
}

/// The text of the first child called `name`, whitespace collapsed, or `""`.
fn text_of(element: &Element, name: &str) -> String {
    element.child_text(name).unwrap_or_default()
}

/// The `item` children of the `list` child (`akaList/aka`).
fn items<'a>(element: &'a Element, list: &str, item: &'a str) -> impl Iterator<Item = &'a Element> {
    element
        .child(list)
        .into_iter()
        .flat_map(move |list| list.children_named(item))
}

/// Builds the entity of one `sdnEntry`; the error is the issue message.
fn entity_of(entry: &Element, list: &str) -> Result<Entity, String> {
    let uid = text_of(entry, "uid");
    if uid.is_empty() || !uid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("uid {uid:?} is not a number"));
    }
    let last = text_of(entry, "lastName");
    if last.is_empty() {
        return Err(format!("uid {uid}: empty lastName"));
    }
    let schema = match text_of(entry, "sdnType").to_ascii_lowercase().as_str() {
        "individual" => Schema::Person,
        "entity" | "" => Schema::Organization,
        "vessel" => Schema::Vessel,
        "aircraft" => Schema::Aircraft,
        other => return Err(format!("uid {uid}: unknown sdnType {other:?}")),
    };
    let name = full_name(&last, &text_of(entry, "firstName"));
    let mut entity = Entity::new(EntityId::new(list, &uid), schema, name.clone());
    entity.names = vec![ofac_remarks::name_of(schema, name, NameKind::Primary)];
    for program in items(entry, "programList", "program") {
        for program in ofac_remarks::split_programs(&program.text) {
            if !entity.programs.contains(&program) {
                entity.programs.push(program);
            }
        }
    }
    if let Some(title) = entry.child_text("title") {
        entity.titles.push(title);
    }
    if let Some(vessel) = entry.child("vesselInfo") {
        let field = |name: &str| text_of(vessel, name);
        let (call_sign, vessel_type, flag) =
            (field("callSign"), field("vesselType"), field("vesselFlag"));
        let (owner, tonnage, gross_tonnage) = (
            field("vesselOwner"),
            field("tonnage"),
            field("grossRegisteredTonnage"),
        );
        ofac_remarks::apply_vessel_info(
            &mut entity,
            &VesselInfo {
                call_sign: &call_sign,
                vessel_type: &vessel_type,
                flag: &flag,
                owner: &owner,
                tonnage: &tonnage,
                gross_tonnage: &gross_tonnage,
            },
        );
    }
    for aka in items(entry, "akaList", "aka") {
        let kind = match (
            text_of(aka, "type").to_ascii_lowercase().as_str(),
            text_of(aka, "category").to_ascii_lowercase().as_str(),
        ) {
            ("a.k.a.", "weak") => NameKind::WeakAka,
            ("a.k.a.", _) => NameKind::StrongAka,
            ("f.k.a.", _) => NameKind::Fka,
            ("n.k.a.", _) => NameKind::Nka,
            (other, _) => return Err(format!("uid {uid}: unknown aka type {other:?}")),
        };
        let last = text_of(aka, "lastName");
        if last.is_empty() {
            return Err(format!(
                "uid {uid}: aka {} has an empty lastName",
                text_of(aka, "uid")
            ));
        }
        let alias = full_name(&last, &text_of(aka, "firstName"));
        entity.add_name(ofac_remarks::name_of(schema, alias, kind));
    }
    for id in items(entry, "idList", "id") {
        let statement = id_statement(id);
        let fact = ofac_remarks::parse_statement(&statement, schema, false);
        ofac_remarks::apply_fact(&mut entity, fact);
    }
    let listed = [
        ("dateOfBirthList", "dateOfBirthItem", "dateOfBirth", "DOB"),
        (
            "placeOfBirthList",
            "placeOfBirthItem",
            "placeOfBirth",
            "POB",
        ),
        ("nationalityList", "nationality", "country", "nationality"),
        ("citizenshipList", "citizenship", "country", "citizen"),
    ];
    // Written as the CSV remarks would say it, so that what does not parse is kept the same way.
    for (list_name, item, field, label) in listed {
        for element in items(entry, list_name, item) {
            if let Some(value) = element.child_text(field) {
                let fact =
                    ofac_remarks::parse_statement(&format!("{label} {value}"), schema, false);
                ofac_remarks::apply_fact(&mut entity, fact);
            }
        }
    }
    for element in items(entry, "addressList", "address") {
        add_address(&mut entity, element);
    }
    if let Some(remarks) = entry.child_text("remarks") {
        ofac_remarks::apply_remarks(&mut entity, &remarks);
    }
    Ok(entity)
}

/// `LAST, First` as the legacy CSV writes names, or just `LAST`.
fn full_name(last: &str, first: &str) -> String {
    if first.is_empty() {
        last.to_owned()
    } else {
        format!("{last}, {first}")
    }
}

/// An `id` entry as the remarks statement it stands for: `Passport 123 (Russia) issued 28 Oct
/// 2008 expires 29 Oct 2013`.
fn id_statement(id: &Element) -> String {
    let mut statement = format!("{} {}", text_of(id, "idType"), text_of(id, "idNumber"));
    if let Some(country) = id.child_text("idCountry") {
        statement.push_str(&format!(" ({country})"));
    }
    for (field, word) in [("issueDate", "issued"), ("expirationDate", "expires")] {
        if let Some(date) = id.child_text(field) {
            statement.push_str(&format!(" {word} {date}"));
        }
    }
    statement
}

fn add_address(entity: &mut Entity, element: &Element) {
    let text = |name: &str| element.child_text(name);
    let street: Vec<String> = ["address1", "address2", "address3"]
        .into_iter()
        .filter_map(text)
        .collect();
    let country = ofac_remarks::country(&text_of(element, "country"));
    let address = Address {
        street: (!street.is_empty()).then(|| street.join(", ")),
        city: text("city"),
        region: text("stateOrProvince"),
        postal_code: text("postalCode"),
        country,
        country_name: country.is_none().then(|| text("country")).flatten(),
        note: None,
    };
    if address != Address::default() && !entity.addresses.contains(&address) {
        entity.addresses.push(address);
    }
}
