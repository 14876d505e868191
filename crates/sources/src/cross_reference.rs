//! References from one list to another: the UN Security Council reference number
//! (`QDi.430`, `TAe.010`) that EU and UK records of UN-listed parties carry. They are kept as
//! identifiers labelled [`UN_REFERENCE_LABEL`], so the record on the UN list (whose id is
//! `un-sc:<reference>`) and its EU and UK twins can be grouped as one party.

use interdict_model::{Entity, Identifier, IdentifierKind};

use crate::Format;

/// The label of the identifier holding a UN Security Council reference number.
pub(crate) const UN_REFERENCE_LABEL: &str = "UN reference number";

/// The identifier for UN reference `reference`.
pub(crate) fn un_reference(reference: &str) -> Identifier {
    Identifier::new(
        IdentifierKind::Other {
            label: UN_REFERENCE_LABEL.into(),
        },
        reference.trim(),
    )
}

/// Whether `token` has the shape of a UN reference number: two capital letters (the regime),
/// `i` or `e` (individual or entity), a dot and digits, e.g. `QDi.430`.
pub(crate) fn is_un_reference(token: &str) -> bool {
    let bytes = token.as_bytes();
    match bytes {
        [a, b, kind, b'.', digits @ ..] => {
            a.is_ascii_uppercase()
                && b.is_ascii_uppercase()
                && matches!(kind, b'i' | b'e')
                && !digits.is_empty()
                && digits.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// The label of the identifier holding a party's id on the OFSI consolidated list (its
/// `Group ID`), which UK Sanctions List records carry as `OFSIGroupID`.
pub(crate) const OFSI_GROUP_ID_LABEL: &str = "OFSI Group ID";

/// The label of the identifier holding a party's UK Sanctions List id (`UniqueID`), which
/// consolidated-list records carry as `(UK Sanctions List Ref)`.
pub(crate) const UK_SANCTIONS_LIST_REF_LABEL: &str = "UK Sanctions List Ref";

/// The references by which other lists name `entity`, each as `(scheme, value)`: the UN
/// Security Council reference number ([`UN_REFERENCE_LABEL`]: cited by EU and UK records,
/// and the UN list's own id), the OFSI consolidated list's group id and the UK Sanctions
/// List id (each list's own id, and cited by the other). Two records of different lists with
/// a reference in common are one party, as the publishers themselves say. Sorted, each once.
pub fn cross_references_of(entity: &Entity) -> Vec<(&'static str, String)> {
    let mut references = Vec::new();
    for identifier in &entity.identifiers {
        let IdentifierKind::Other { label } = &identifier.kind else {
            continue;
        };
        let value = identifier.value.trim();
        if label == UN_REFERENCE_LABEL && is_un_reference(value) {
            references.push((UN_REFERENCE_LABEL, value.to_owned()));
        } else if label == OFSI_GROUP_ID_LABEL && !value.is_empty() {
            references.push((OFSI_GROUP_ID_LABEL, value.to_owned()));
        } else if label == UK_SANCTIONS_LIST_REF_LABEL && !value.is_empty() {
            references.push((UK_SANCTIONS_LIST_REF_LABEL, value.to_owned()));
        }
    }
    // A list's own ids are references too, for the formats whose ids others cite.
    let own = entity.id.source_id();
    let format = entity.source.format.as_str();
    if format == Format::UnScXml.name() && is_un_reference(own) {
        references.push((UN_REFERENCE_LABEL, own.to_owned()));
    } else if format == Format::UkOfsiCsv.name() && !own.is_empty() {
        references.push((OFSI_GROUP_ID_LABEL, own.to_owned()));
    }
    references.sort();
    references.dedup();
    references
}

/// The UN references written in free text after `UN Ref` (`UN Ref QDe.004. Emir of ...`).
pub(crate) fn un_references_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("UN Ref") {
        rest = rest.get(at + "UN Ref".len()..).unwrap_or_default();
        let token = rest
            .trim_start_matches([' ', ':', '.'])
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')' | '('))
            .next()
            .unwrap_or_default()
            .trim_end_matches('.');
        if is_un_reference(token) && !found.iter().any(|f| f == token) {
            found.push(token.to_owned());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_un_references_in_text() {
        assert_eq!(
            un_references_in("UN Ref QDe.004. Emir for the eastern zone"),
            ["QDe.004"]
        );
        assert_eq!(
            un_references_in("UN Ref: TAi.162, see UN Ref TAi.162"),
            ["TAi.162"]
        );
        assert!(un_references_in("UN Ref pending").is_empty());
        assert!(
            is_un_reference("IRe.001") && !is_un_reference("QDx.1") && !is_un_reference("QDi.")
        );
    }
}
