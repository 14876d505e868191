//! ISO 3166-1 alpha-2 country codes and the ways lists name countries.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[path = "country_table.rs"]
mod table;

/// An ISO 3166-1 alpha-2 country code (upper case), or `XK` for Kosovo which lists use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// The two-letter code.
    pub fn as_str(&self) -> &str {
        // Only ever built from two ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CountryCode {
    type Err = String;

    /// Accepts a code (`RU`, `rus`) or a name (`Russia`, `Korea, North`, `Burma`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        country_code(s).ok_or_else(|| format!("unknown country {s:?}"))
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> String {
        code.as_str().to_owned()
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Names lists use that ISO does not, and demonyms ("Russian"), with their code.
static ALIASES: &[(&str, &str)] = &[
    ("Russia", "RU"),
    ("Russian", "RU"),
    ("Iran", "IR"),
    ("Iranian", "IR"),
    ("Korea, North", "KP"),
    ("North Korean", "KP"),
    ("DPRK", "KP"),
    ("Korea, South", "KR"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("Burma", "MM"),
    ("Syria", "SY"),
    ("Syrian", "SY"),
    ("Venezuela", "VE"),
    ("Venezuelan", "VE"),
    ("Bolivia", "BO"),
    ("Tanzania", "TZ"),
    ("Moldova", "MD"),
    ("Laos", "LA"),
    ("Vietnam", "VN"),
    ("Viet Nam", "VN"),
    ("Taiwan", "TW"),
    ("Macau", "MO"),
    ("Macao", "MO"),
    ("Brunei", "BN"),
    ("Cape Verde", "CV"),
    ("Czech Republic", "CZ"),
    ("Turkey", "TR"),
    ("Turkish", "TR"),
    ("Swaziland", "SZ"),
    ("Micronesia", "FM"),
    ("Micronesia, Federated States of", "FM"),
    ("Congo, Democratic Republic of the", "CD"),
    ("Democratic Republic of the Congo", "CD"),
    ("Democratic Republic of Congo", "CD"),
    ("DRC", "CD"),
    ("Congo, Republic of the", "CG"),
    ("Republic of the Congo", "CG"),
    ("Congo", "CG"),
    ("Cote d Ivoire", "CI"),
    ("Ivory Coast", "CI"),
    ("The Gambia", "GM"),
    ("Gambia, The", "GM"),
    ("The Bahamas", "BS"),
    ("Bahamas, The", "BS"),
    ("Holy See", "VA"),
    ("Vatican", "VA"),
    ("West Bank", "PS"),
    ("Gaza", "PS"),
    ("Palestinian", "PS"),
    ("Palestine", "PS"),
    ("State of Palestine", "PS"),
    ("Kosovo", "XK"),
    ("XK", "XK"),
    ("XKX", "XK"),
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("British", "GB"),
    ("England", "GB"),
    ("United States", "US"),
    ("USA", "US"),
    ("United States of America", "US"),
    ("American", "US"),
    ("Chinese", "CN"),
    ("Afghan", "AF"),
    ("Iraqi", "IQ"),
    ("Pakistani", "PK"),
    ("Yemeni", "YE"),
    ("Libyan", "LY"),
    ("Lebanese", "LB"),
    ("Somali", "SO"),
    ("Sudanese", "SD"),
    ("Saudi", "SA"),
    ("Saudi Arabian", "SA"),
    ("Egyptian", "EG"),
    ("Jordanian", "JO"),
    ("Kuwaiti", "KW"),
    ("Qatari", "QA"),
    ("Emirati", "AE"),
    ("UAE", "AE"),
    ("Tunisian", "TN"),
    ("Algerian", "DZ"),
    ("Moroccan", "MA"),
    ("Mexican", "MX"),
    ("Colombian", "CO"),
    ("Cuban", "CU"),
    ("Ukrainian", "UA"),
    ("Belarusian", "BY"),
    ("German", "DE"),
    ("French", "FR"),
    ("Italian", "IT"),
    ("Spanish", "ES"),
    ("Indian", "IN"),
    ("Indonesian", "ID"),
    ("Filipino", "PH"),
    ("Philippine", "PH"),
    ("Nigerian", "NG"),
    ("Kenyan", "KE"),
    ("Eritrean", "ER"),
    ("Ethiopian", "ET"),
    ("Malian", "ML"),
    ("Congolese", "CD"),
    ("Bosnia", "BA"),
    ("Bosnia-Herzegovina", "BA"),
    ("Netherlands Antilles", "CW"),
    ("Curacao", "CW"),
    ("Sint Maarten", "SX"),
    ("Turks and Caicos", "TC"),
    ("British Virgin Islands", "VG"),
    ("Virgin Islands, British", "VG"),
    ("St. Kitts and Nevis", "KN"),
    ("St. Lucia", "LC"),
    ("St. Vincent and the Grenadines", "VC"),
    ("Saint Vincent and the Grenadines", "VC"),
    ("Sao Tome and Principe", "ST"),
    ("East Timor", "TL"),
    ("Timor-Leste", "TL"),
    ("Yugoslavia", "RS"),
    ("Serbia and Montenegro", "RS"),
    ("Soviet Union", "RU"),
    ("USSR", "RU"),
    ("Region: Crimea", "UA"),
    ("Crimea", "UA"),
    ("Hong Kong", "HK"),
    ("China, Hong Kong Special Administrative Region", "HK"),
];

fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let c = match c {
            'é' | 'è' | 'É' => 'e',
            'ô' | 'ó' => 'o',
            'ç' => 'c',
            'ã' | 'å' => 'a',
            'í' => 'i',
            'ü' => 'u',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            pending_space = true;
        }
    }
    out
}

fn index() -> &'static HashMap<String, CountryCode> {
    static INDEX: OnceLock<HashMap<String, CountryCode>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        let code = |a2: &str| {
            let b = a2.as_bytes();
            CountryCode([b[0], b[1]])
        };
        for (a2, a3, names) in table::COUNTRIES {
            let c = code(a2);
            map.insert(fold(a2), c);
            map.insert(fold(a3), c);
            for name in *names {
                map.insert(fold(name), c);
            }
        }
        for (name, a2) in ALIASES {
            map.insert(fold(name), code(a2));
        }
        map
    })
}

/// Normalises a country code or name as lists write it to an ISO 3166-1 alpha-2 code.
/// Returns `None` for text that names no known country (a region, a typo).
pub fn country_code(text: &str) -> Option<CountryCode> {
    let key = fold(text);
    if key.is_empty() {
        return None;
    }
    if let Some(code) = index().get(&key) {
        return Some(*code);
    }
    // "Tehran, Iran" or "Iran (Islamic Republic of)": try the last comma part, then without
    // the parenthesis.
    if let Some((_, last)) = text.rsplit_once(',')
        && let Some(code) = index().get(&fold(last))
    {
        return Some(*code);
    }
    if let Some((head, _)) = text.split_once('(')
        && let Some(code) = index().get(&fold(head))
    {
        return Some(*code);
    }
    None
}

/// The English short name of a country code.
pub fn country_name(code: CountryCode) -> &'static str {
    if code.as_str() == "XK" {
        return "Kosovo";
    }
    table::COUNTRIES
        .iter()
        .find(|(a2, _, _)| *a2 == code.as_str())
        .and_then(|(_, _, names)| names.first().copied())
        .unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<String> {
        country_code(text).map(|c| c.to_string())
    }

    #[test]
    fn normalises_list_country_names() {
        assert_eq!(code("Russia").as_deref(), Some("RU"));
        assert_eq!(code("Russian Federation").as_deref(), Some("RU"));
        assert_eq!(code("ru").as_deref(), Some("RU"));
        assert_eq!(code("RUS").as_deref(), Some("RU"));
        assert_eq!(code("Korea, North").as_deref(), Some("KP"));
        assert_eq!(
            code("Democratic People's Republic of Korea").as_deref(),
            Some("KP")
        );
        assert_eq!(code("Iran (Islamic Republic of)").as_deref(), Some("IR"));
        assert_eq!(code("Burma").as_deref(), Some("MM"));
        assert_eq!(code("Côte d'Ivoire").as_deref(), Some("CI"));
        assert_eq!(
            code("Democratic Republic of the Congo").as_deref(),
            Some("CD")
        );
        assert_eq!(code("Tehran, Iran").as_deref(), Some("IR"));
        assert_eq!(code("Atlantis"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn names_codes() {
        assert_eq!(country_name(country_code("DE").expect("DE")), "Germany");
        assert_eq!(country_name(country_code("Kosovo").expect("XK")), "Kosovo");
    }
}
