//! Sanctioned jurisdictions per regime: which countries and places a payment may not touch,
//! recognised from country codes (of addresses, BICs and IBANs) and from place names in
//! addresses.
//!
//! Places are matched as whole words of the address, upper-cased with punctuation as spaces,
//! so `Sevastopol` and `SEVASTOPOL,` match while `Homsworth` does not contain `HOMS`. Only
//! names that are unambiguous are listed: the occupied regions' own towns, not cities of the
//! same name elsewhere, and not the government-controlled cities of a partly occupied
//! oblast (Kherson, Zaporizhzhia).

use std::collections::HashMap;
use std::fmt;

use interdict_model::CountryCode;
use serde::Serialize;

/// A sanctions regime that has its own jurisdiction rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// United States, OFAC.
    Ofac,
    /// European Union.
    Eu,
    /// United Kingdom, OFSI.
    Uk,
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Regime::Ofac => "OFAC",
            Regime::Eu => "EU",
            Regime::Uk => "UK",
        })
    }
}

/// One rule: a jurisdiction, the codes and place names that identify it, and the legal basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionRule {
    /// A stable id named in hits: `OFAC-IR`, `OFAC-UA-CRIMEA`.
    pub id: String,
    /// The regime.
    pub regime: Regime,
    /// What it covers and why, for the analyst: `Iran — Iranian Transactions and Sanctions
    /// Regulations (31 CFR 560)`.
    pub description: String,
    /// Countries wholly covered (their codes in addresses, BICs and IBANs).
    pub countries: Vec<CountryCode>,
    /// Place names (upper case, words separated by one space) that put an address there.
    pub places: Vec<String>,
}

/// The rules of one or more regimes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JurisdictionTable {
    rules: Vec<JurisdictionRule>,
    /// Each place name (words joined by one space) to the rules that list it, so that an
    /// address is looked up word sequence by word sequence rather than scanned per place.
    places: HashMap<String, Vec<usize>>,
    /// The most words a place name has.
    longest_place: usize,
}

/// A rule of the built-in tables: id, description, country codes, places.
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const CRIMEA: &[&str] = &[
    "CRIMEA",
    "KRYM",
    "KRIM",
    "SEVASTOPOL",
    "SIMFEROPOL",
    "KERCH",
    "YALTA",
    "YEVPATORIYA",
    "YEVPATORIA",
    "EVPATORIA",
    "FEODOSIYA",
    "FEODOSIA",
    "DZHANKOY",
    "DZHANKOI",
    "ALUSHTA",
    "BAKHCHYSARAI",
    "BAKHCHISARAY",
    "ARMYANSK",
    "KRASNOPEREKOPSK",
];
const DONETSK: &[&str] = &[
    "DONETSK",
    "DONETSKA",
    "DONETSKAYA",
    "DNR",
    "MAKIIVKA",
    "MAKEEVKA",
    "MAKEYEVKA",
    "HORLIVKA",
    "GORLOVKA",
    "YENAKIIEVE",
    "YENAKIYEVO",
    "KHARTSYZK",
    "KHARTSYZSK",
    "SNIZHNE",
    "SNEZHNOYE",
    "SHAKHTARSK",
    "DEBALTSEVE",
    "DEBALTSEVO",
    "YASYNUVATA",
    "YASINOVATAYA",
    "ILOVAISK",
    "MARIUPOL",
];
const LUHANSK: &[&str] = &[
    "LUHANSK",
    "LUGANSK",
    "LUHANSKA",
    "LUGANSKAYA",
    "LNR",
    "ALCHEVSK",
    "KRASNODON",
    "SIEVIERODONETSK",
    "SEVERODONETSK",
    "LYSYCHANSK",
    "LISICHANSK",
    "STAKHANOV",
    "KADIIVKA",
    "ROVENKY",
    "ANTRATSYT",
    "ANTRATSIT",
    "KRASNYI LUCH",
    "DOVZHANSK",
];
/// Towns of the occupied parts of the Kherson and Zaporizhzhia oblasts (the regional
/// capitals are government-controlled and left out).
const KHERSON_ZAPORIZHZHIA: &[&str] = &[
    "NOVA KAKHOVKA",
    "SKADOVSK",
    "HENICHESK",
    "GENICHESK",
    "OLESHKY",
    "HOLA PRYSTAN",
    "MELITOPOL",
    "BERDIANSK",
    "BERDYANSK",
    "ENERHODAR",
    "ENERGODAR",
    "TOKMAK",
    "VASYLIVKA",
];

const OFAC: &[Row] = &[
    (
        "OFAC-CU",
        "Cuba — Cuban Assets Control Regulations (31 CFR 515)",
        &["CU"],
        &[
            "CUBA",
            "HAVANA",
            "LA HABANA",
            "HABANA",
            "SANTIAGO DE CUBA",
            "CIENFUEGOS",
            "CAMAGUEY",
            "HOLGUIN",
            "PINAR DEL RIO",
            "MARIEL",
        ],
    ),
    (
        "OFAC-IR",
        "Iran — Iranian Transactions and Sanctions Regulations (31 CFR 560)",
        &["IR"],
        &[
            "IRAN",
            "TEHRAN",
            "TEHERAN",
            "TABRIZ",
            "ISFAHAN",
            "ESFAHAN",
            "MASHHAD",
            "SHIRAZ",
            "BANDAR ABBAS",
            "AHVAZ",
            "AHWAZ",
            "QOM",
            "KARAJ",
            "BUSHEHR",
            "KERMANSHAH",
            "KISH ISLAND",
        ],
    ),
    (
        "OFAC-KP",
        "North Korea — North Korea Sanctions Regulations (31 CFR 510)",
        &["KP"],
        &[
            "NORTH KOREA",
            "DPRK",
            "DPR KOREA",
            "DEMOCRATIC PEOPLE S REPUBLIC OF KOREA",
            "PYONGYANG",
            "NAMPO",
            "NAMPHO",
            "RASON",
            "RAJIN",
            "SINUIJU",
            "HAMHUNG",
            "CHONGJIN",
            "WONSAN",
            "KAESONG",
        ],
    ),
    (
        "OFAC-SY",
        "Syria — Syrian Sanctions Regulations (31 CFR 542)",
        &["SY"],
        &[
            "SYRIA",
            "SYRIAN ARAB REPUBLIC",
            "DAMASCUS",
            "ALEPPO",
            "HOMS",
            "LATAKIA",
            "LATTAKIA",
            "TARTUS",
            "DEIR EZ ZOR",
        ],
    ),
    (
        "OFAC-UA-CRIMEA",
        "Crimea region of Ukraine — Executive Order 13685 (31 CFR 589)",
        &[],
        CRIMEA,
    ),
    (
        "OFAC-UA-DNR",
        "So-called Donetsk People's Republic region of Ukraine — Executive Order 14065",
        &[],
        DONETSK,
    ),
    (
        "OFAC-UA-LNR",
        "So-called Luhansk People's Republic region of Ukraine — Executive Order 14065",
        &[],
        LUHANSK,
    ),
];

const EU: &[Row] = &[
    (
        "EU-UA-CRIMEA",
        "Crimea and Sevastopol — Council Regulation (EU) No 692/2014",
        &[],
        CRIMEA,
    ),
    (
        "EU-UA-DONETSK-LUHANSK",
        "Non-government-controlled areas of the Donetsk and Luhansk oblasts — Council Regulation (EU) 2022/263",
        &[],
        &[],
    ),
    (
        "EU-UA-KHERSON-ZAPORIZHZHIA",
        "Non-government-controlled areas of the Kherson and Zaporizhzhia oblasts — Council Regulation (EU) 2022/263",
        &[],
        KHERSON_ZAPORIZHZHIA,
    ),
];

const UK: &[Row] = &[
    (
        "UK-UA-CRIMEA",
        "Crimea — The Russia (Sanctions) (EU Exit) Regulations 2019, Part 5 Chapter 4",
        &[],
        CRIMEA,
    ),
    (
        "UK-UA-NGCA",
        "Non-government-controlled areas of the Donetsk, Luhansk, Kherson and Zaporizhzhia oblasts — The Russia (Sanctions) (EU Exit) Regulations 2019",
        &[],
        &[],
    ),
];

impl JurisdictionTable {
    /// A table of the given rules.
    pub fn new(rules: Vec<JurisdictionRule>) -> JurisdictionTable {
        let mut places: HashMap<String, Vec<usize>> = HashMap::new();
        let mut longest_place = 0;
        for (index, rule) in rules.iter().enumerate() {
            for place in &rule.places {
                let key = place_words(place);
                longest_place = longest_place.max(key.split(' ').count());
                let listed = places.entry(key).or_default();
                if !listed.contains(&index) {
                    listed.push(index);
                }
            }
        }
        JurisdictionTable {
            rules,
            places,
            longest_place,
        }
    }

    /// The built-in rules of `regime`.
    ///
    /// OFAC: the comprehensive programmes (Cuba, Iran, North Korea, Syria) by country code and
    /// place, and the occupied regions of Ukraine (Crimea, the so-called DNR and LNR) by
    /// place. EU and UK: the occupied regions of Ukraine (no comprehensive country embargoes).
    /// The Syria row follows the programme list this was written against; OFAC terminated the
    /// Syrian Sanctions Regulations' country-wide prohibitions in 2025, so deployments should
    /// review it (or build their own table with [`JurisdictionTable::new`]).
    pub fn builtin(regime: Regime) -> JurisdictionTable {
        let rows = match regime {
            Regime::Ofac => OFAC,
            Regime::Eu => EU,
            Regime::Uk => UK,
        };
        let mut rules = Vec::new();
        for (id, description, countries, places) in rows {
            let mut places: Vec<String> = places.iter().map(|p| (*p).to_owned()).collect();
            // The EU and UK rows for Donetsk/Luhansk reuse the OFAC place lists.
            match *id {
                "EU-UA-DONETSK-LUHANSK" => {
                    places.extend(DONETSK.iter().chain(LUHANSK).map(|p| (*p).to_owned()));
                }
                "UK-UA-NGCA" => places.extend(
                    DONETSK
                        .iter()
                        .chain(LUHANSK)
                        .chain(KHERSON_ZAPORIZHZHIA)
                        .map(|p| (*p).to_owned()),
                ),
                _ => {}
            }
            rules.push(JurisdictionRule {
                id: (*id).to_owned(),
                regime,
                description: (*description).to_owned(),
                countries: countries
                    .iter()
                    .filter_map(|c| interdict_model::country_code(c))
                    .collect(),
                places,
            });
        }
        JurisdictionTable::new(rules)
    }

    /// The built-in rules of several regimes together.
    pub fn builtin_all(regimes: &[Regime]) -> JurisdictionTable {
        let rules = regimes
            .iter()
            .flat_map(|r| JurisdictionTable::builtin(*r).rules)
            .collect();
        JurisdictionTable::new(rules)
    }

    /// The rules.
    pub fn rules(&self) -> &[JurisdictionRule] {
        &self.rules
    }

    /// The rules that cover `country` as a whole.
    pub fn rules_for_country(
        &self,
        country: CountryCode,
    ) -> impl Iterator<Item = &JurisdictionRule> {
        self.rules
            .iter()
            .filter(move |rule| rule.countries.contains(&country))
    }

    /// The rules a place named in `address` falls under, each with the place name found.
    pub fn rules_for_address(&self, address: &str) -> Vec<(&JurisdictionRule, &str)> {
        let folded = place_words(address);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        let mut found: Vec<(usize, &str)> = Vec::new();
        for start in 0..words.len() {
            let mut key = String::new();
            for word in words.iter().skip(start).take(self.longest_place) {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(word);
                let Some((place, rules)) = self.places.get_key_value(&key) else {
                    continue;
                };
                for rule in rules {
                    if !found.iter().any(|(r, _)| r == rule) {
                        found.push((*rule, place.as_str()));
                    }
                }
            }
        }
        found.sort_by_key(|(rule, _)| *rule);
        found
            .into_iter()
            .filter_map(|(rule, place)| Some((self.rules.get(rule)?, place)))
            .collect()
    }
}

/// Upper-cased words of `text` joined by single spaces, punctuation dropped, Latin accents
/// folded (`Camagüey` → `CAMAGUEY`).
fn place_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let folded = fold_accent(c);
        if folded.is_alphanumeric() {
            out.extend(folded.to_uppercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_owned()
}

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> CountryCode {
        interdict_model::country_code(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn ofac_covers_the_comprehensive_programmes_by_country() {
        let table = JurisdictionTable::builtin(Regime::Ofac);
        for (country, rule) in [
            ("IR", "OFAC-IR"),
            ("CU", "OFAC-CU"),
            ("KP", "OFAC-KP"),
            ("SY", "OFAC-SY"),
        ] {
            let ids: Vec<&str> = table
                .rules_for_country(code(country))
                .map(|r| r.id.as_str())
                .collect();
            assert_eq!(ids, vec![rule], "{country}");
        }
        assert_eq!(table.rules_for_country(code("RU")).count(), 0);
        assert_eq!(table.rules_for_country(code("UA")).count(), 0);
    }

    #[test]
    fn recognises_occupied_regions_and_towns_in_addresses() {
        let table = JurisdictionTable::builtin(Regime::Ofac);
        let ids = |address: &str| -> Vec<String> {
            table
                .rules_for_address(address)
                .into_iter()
                .map(|(r, _)| r.id.clone())
                .collect()
        };
        assert_eq!(
            ids("ul. Lenina 5, Sevastopol 299011"),
            vec!["OFAC-UA-CRIMEA"]
        );
        assert_eq!(ids("Republic of Crimea"), vec!["OFAC-UA-CRIMEA"]);
        assert_eq!(
            ids("PROSPEKT MIRA 12, DONETSK 83000 UA"),
            vec!["OFAC-UA-DNR"]
        );
        assert_eq!(ids("Luhansk"), vec!["OFAC-UA-LNR"]);
        assert_eq!(ids("Calle 23, Camagüey"), vec!["OFAC-CU"]);
        assert_eq!(ids("IMAM KHOMEINI STREET 130, TABRIZ IR"), vec!["OFAC-IR"]);
        assert!(ids("Homsworth Road 4, Leeds").is_empty());
        assert!(ids("Kyiv, Khreshchatyk 1").is_empty());
        // Melitopol is occupied but outside OFAC's regions; the EU rule covers it.
        assert!(ids("Melitopol").is_empty());
        let eu = JurisdictionTable::builtin(Regime::Eu);
        let found: Vec<&str> = eu
            .rules_for_address("Melitopol")
            .into_iter()
            .map(|(r, _)| r.id.as_str())
            .collect();
        assert_eq!(found, vec!["EU-UA-KHERSON-ZAPORIZHZHIA"]);
    }
}
