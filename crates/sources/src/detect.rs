//! Format detection from file names and content.
//!
//! Names decide first where they are unambiguous: a set holding `sdn.csv` is the OFAC legacy
//! CSV set, and `*.delta.json` files only come with FollowTheMoney exports. Otherwise the first
//! few kilobytes of each file are sniffed (a UTF-8 BOM removed): the XML root element, the CSV
//! header, the first OFAC record, or a JSON line with `schema` and `properties`. The first file
//! recognised decides; when none is, the error names the first file and what it starts with.

use crate::{Error, Format, SourceFile};

/// How much of a file is looked at.
const SNIFF_BYTES: usize = 8 * 1024;

/// The path of the EU Financial Sanctions Files namespace. Published files use
/// `http://eu.europa.ec/fpi/fsd/export`; the host is left out so that a corrected one matches.
const EU_FSF_NAMESPACE: &str = "/fpi/fsd/export";

/// Tells the format of `files` from their names and content.
pub fn detect(files: &[SourceFile]) -> Result<Format, Error> {
    let first = files.first().ok_or(Error::NoInput)?;
    let has_name = |wanted: &str| {
        files
            .iter()
            .any(|f| f.base_name().eq_ignore_ascii_case(wanted))
    };
    if has_name("sdn.csv") {
        return Ok(Format::OfacSdnCsv);
    }
    let is_delta = |f: &SourceFile| f.base_name().to_ascii_lowercase().ends_with(".delta.json");
    if files.iter().any(is_delta) {
        return Ok(Format::Ftm);
    }
    if let Some(format) = files.iter().find_map(|f| sniff(&head(f))) {
        return Ok(format);
    }
    Err(Error::Undetected {
        file: first.name.clone(),
        reason: describe(&head(first)),
    })
}

/// The start of a file as text, without a BOM; invalid UTF-8 is replaced.
fn head(file: &SourceFile) -> String {
    let bytes = file
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&file.bytes);
    let end = bytes.len().min(SNIFF_BYTES);
    String::from_utf8_lossy(bytes.get(..end).unwrap_or(bytes)).into_owned()
}

fn sniff(text: &str) -> Option<Format> {
    let text = text.trim_start();
    if text.starts_with('<') {
        return sniff_xml(text);
    }
    if text.starts_with('{') {
        return sniff_json(text);
    }
    sniff_csv(text)
}

fn sniff_xml(text: &str) -> Option<Format> {
    let root = root_element(text)?;
    // `<sdnList xmlns=...>` or a prefixed `<ns:export>`.
    let local = root.rsplit(':').next().unwrap_or(root);
    match local {
        "sdnList" => Some(Format::OfacSdnXml),
        "CONSOLIDATED_LIST" => Some(Format::UnScXml),
        "Designations" => Some(Format::UkSanctionsListXml),
        "export" if text.contains(EU_FSF_NAMESPACE) || text.contains("sanctionEntity") => {
            Some(Format::EuFsfXml)
        }
        _ if text.contains("<sanctionEntity") => Some(Format::EuFsfXml),
        _ => None,
    }
}

/// The name of the first element, past the declaration, comments and doctype.
fn root_element(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>")?.1;
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1;
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = after.split_once('>')?.1;
        } else {
            let after = rest.strip_prefix('<')?;
            let end = after
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(after.len());
            let name = after.get(..end)?;
            return (!name.is_empty()).then_some(name);
        }
    }
}

fn sniff_json(text: &str) -> Option<Format> {
    let line = text.lines().next()?;
    let entity = line.contains("\"schema\"") && line.contains("\"properties\"");
    let delta = line.contains("\"op\"") && line.contains("\"entity\"");
    (entity || delta).then_some(Format::Ftm)
}

fn sniff_csv(text: &str) -> Option<Format> {
    let first_line = text.lines().next()?.trim();
    // The FCDO list's header names `OFSI Group ID` too: it is told apart first.
    let second_line = text.lines().nth(1).unwrap_or_default();
    let fcdo_header = |line: &str| line.contains("Unique ID") && line.contains("Name 6");
    if fcdo_header(first_line)
        || (first_line
            .get(..11)
            .is_some_and(|start| start.eq_ignore_ascii_case("report date"))
            && fcdo_header(second_line))
    {
        return Some(Format::UkSanctionsListCsv);
    }
    if first_line.starts_with("Last Updated,")
        || (first_line.contains("Name 6") && first_line.contains("Group ID"))
    {
        return Some(Format::UkOfsiCsv);
    }
    if first_line.starts_with("source,entity_number")
        || first_line.starts_with("_id,source,entity_number")
        || first_line.contains("source_list_url")
    {
        return Some(Format::UsCslCsv);
    }
    looks_like_ofac_record(first_line).then_some(Format::OfacSdnCsv)
}

/// `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",...`: a number, a quoted name, and either the
/// twelve fields of `sdn.csv` or OFAC's `-0-` empty marker.
fn looks_like_ofac_record(line: &str) -> bool {
    let fields = split_quoted(line);
    let numbered = fields
        .first()
        .is_some_and(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    let quoted_name = line
        .split_once(',')
        .is_some_and(|(_, rest)| rest.starts_with('"'));
    numbered && quoted_name && (fields.len() == 12 || line.contains("-0-"))
}

/// Splits one CSV line on commas outside double quotes.
fn split_quoted(line: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                fields.push(line.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    fields.push(line.get(start..).unwrap_or(""));
    fields
}

/// What a file starts with, for the error message.
fn describe(text: &str) -> String {
    let start = text.trim_start();
    if start.is_empty() {
        return "the file is empty".into();
    }
    let excerpt: String = start
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(60)
        .collect();
    format!("it starts with {excerpt:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_element() {
        let xml =
            "<?xml version=\"1.0\"?>\n<!-- list -->\n<!DOCTYPE x>\n<ns:export xmlns:ns=\"u\">";
        assert_eq!(root_element(xml), Some("ns:export"));
        assert_eq!(root_element("<sdnList>"), Some("sdnList"));
        assert_eq!(root_element("<?xml unterminated"), None);
        assert_eq!(root_element("<>"), None);
    }

    #[test]
    fn splits_quoted_fields() {
        assert_eq!(split_quoted(r#"1,"A, B",-0- "#), ["1", r#""A, B""#, "-0- "]);
    }
}
