//! Sanctioned jurisdictions per regime: which countries and places a payment may not touch,
//! recognised from country codes (of addresses, BICs and IBANs) and from place names in
//! addresses.
//!
//! Places are matched as whole words of the address, upper-cased with punctuation as spaces,
//! so `Sevastopol` and `SEVASTOPOL,` match while `Homsworth` does not contain `HOMS`. Only
//! names that are unambiguous are listed: the occupied regions' own towns, not cities of the
//! same name elsewhere, and not the government-controlled cities of a partly occupied
//! oblast (Kherson, Zaporizhzhia).
//!
//! Every rule carries the dates it is in force: a programme is imposed on a day and may be
//! ended on another (OFAC's Syria programme ended when EO 14312 took effect on 1 July 2025),
//! and a payment is screened against the rules in force on its screening date, so that
//! replaying an old screening gives the answer it had then.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
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
    /// The first day it is in force; `None`: always was.
    pub in_force_from: Option<NaiveDate>,
    /// The first day it is no longer in force; `None`: still is.
    pub in_force_until: Option<NaiveDate>,
}

impl JurisdictionRule {
    /// Whether the rule is in force on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.in_force_from.is_none_or(|from| from <= date)
            && self.in_force_until.is_none_or(|until| date < until)
    }
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

/// A rule of the built-in tables.
struct Row {
    id: &'static str,
    /// What it covers and its legal basis.
    description: &'static str,
    countries: &'static [&'static str],
    /// Place lists (several where a rule covers several regions).
    places: &'static [&'static [&'static str]],
    /// The day the instrument took effect, `(year, month, day)`.
    from: (i32, u32, u32),
    /// The first day it no longer applies, when it was ended.
    until: Option<(i32, u32, u32)>,
}

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
    Row {
        id: "OFAC-CU",
        description: "Cuba — Cuban Assets Control Regulations (31 CFR 515), since 8 July 1963",
        countries: &["CU"],
        places: &[&[
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
        ]],
        from: (1963, 7, 8),
        until: None,
    },
    Row {
        id: "OFAC-IR",
        description: "Iran — Iranian Transactions and Sanctions Regulations (31 CFR 560); trade embargo of Executive Order 12959, in force 7 May 1995",
        countries: &["IR"],
        places: &[&[
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
        ]],
        from: (1995, 5, 7),
        until: None,
    },
    Row {
        id: "OFAC-KP",
        description: "North Korea — North Korea Sanctions Regulations (31 CFR 510); Executive Order 13722 of 15 March 2016",
        countries: &["KP"],
        places: &[&[
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
        ]],
        from: (2016, 3, 15),
        until: None,
    },
    Row {
        id: "OFAC-SY",
        description: "Syria — Syrian Sanctions Regulations (31 CFR 542); Executive Order 13582 of 17 August 2011, ended by Executive Order 14312 with effect from 1 July 2025",
        countries: &["SY"],
        places: &[&[
            "SYRIA",
            "SYRIAN ARAB REPUBLIC",
            "DAMASCUS",
            "ALEPPO",
            "HOMS",
            "LATAKIA",
            "LATTAKIA",
            "TARTUS",
            "DEIR EZ ZOR",
        ]],
        from: (2011, 8, 17),
        until: Some((2025, 7, 1)),
    },
    Row {
        id: "OFAC-UA-CRIMEA",
        description: "Crimea region of Ukraine — Executive Order 13685 of 19 December 2014 (31 CFR 589)",
        countries: &[],
        places: &[CRIMEA],
        from: (2014, 12, 19),
        until: None,
    },
    Row {
        id: "OFAC-UA-DNR",
        description: "So-called Donetsk People's Republic region of Ukraine — Executive Order 14065 of 21 February 2022",
        countries: &[],
        places: &[DONETSK],
        from: (2022, 2, 21),
        until: None,
    },
    Row {
        id: "OFAC-UA-LNR",
        description: "So-called Luhansk People's Republic region of Ukraine — Executive Order 14065 of 21 February 2022",
        countries: &[],
        places: &[LUHANSK],
        from: (2022, 2, 21),
        until: None,
    },
];

const EU: &[Row] = &[
    Row {
        id: "EU-UA-CRIMEA",
        description: "Crimea and Sevastopol — Council Regulation (EU) No 692/2014",
        countries: &[],
        places: &[CRIMEA],
        from: (2014, 6, 25),
        until: None,
    },
    Row {
        id: "EU-UA-DONETSK-LUHANSK",
        description: "Non-government-controlled areas of the Donetsk and Luhansk oblasts — Council Regulation (EU) 2022/263",
        countries: &[],
        places: &[DONETSK, LUHANSK],
        from: (2022, 2, 24),
        until: None,
    },
    Row {
        id: "EU-UA-KHERSON-ZAPORIZHZHIA",
        description: "Non-government-controlled areas of the Kherson and Zaporizhzhia oblasts — Council Regulation (EU) 2022/263 as amended by (EU) 2022/1903",
        countries: &[],
        places: &[KHERSON_ZAPORIZHZHIA],
        from: (2022, 10, 6),
        until: None,
    },
];

const UK: &[Row] = &[
    Row {
        id: "UK-UA-CRIMEA",
        description: "Crimea — The Russia (Sanctions) (EU Exit) Regulations 2019, Part 5 Chapter 4",
        countries: &[],
        places: &[CRIMEA],
        from: (2020, 12, 31),
        until: None,
    },
    Row {
        id: "UK-UA-NGCA",
        description: "Non-government-controlled areas of the Donetsk and Luhansk oblasts — The Russia (Sanctions) (EU Exit) Regulations 2019 as amended in 2022",
        countries: &[],
        places: &[DONETSK, LUHANSK],
        from: (2022, 3, 1),
        until: None,
    },
    Row {
        id: "UK-UA-KHERSON-ZAPORIZHZHIA",
        description: "Non-government-controlled areas of the Kherson and Zaporizhzhia oblasts — The Russia (Sanctions) (EU Exit) (Amendment) (No. 2) Regulations 2023",
        countries: &[],
        places: &[KHERSON_ZAPORIZHZHIA],
        from: (2023, 6, 20),
        until: None,
    },
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
    /// Each rule is in force from the day its instrument took effect; OFAC's Syria programme
    /// until 30 June 2025 (Executive Order 14312 ended it from 1 July 2025). A deployment with
    /// other rules builds its own table with [`JurisdictionTable::new`].
    pub fn builtin(regime: Regime) -> JurisdictionTable {
        let rows = match regime {
            Regime::Ofac => OFAC,
            Regime::Eu => EU,
            Regime::Uk => UK,
        };
        let rules = rows
            .iter()
            .map(|row| JurisdictionRule {
                id: row.id.to_owned(),
                regime,
                description: row.description.to_owned(),
                countries: row
                    .countries
                    .iter()
                    .filter_map(|c| interdict_model::country_code(c))
                    .collect(),
                places: row
                    .places
                    .iter()
                    .flat_map(|list| list.iter().map(|p| (*p).to_owned()))
                    .collect(),
                in_force_from: date(row.from),
                in_force_until: row.until.and_then(date),
            })
            .collect();
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

    /// The rules in force on `date`.
    pub fn rules_in_force_on(&self, date: NaiveDate) -> impl Iterator<Item = &JurisdictionRule> {
        self.rules.iter().filter(move |rule| rule.in_force_on(date))
    }

    /// The rules in force on `date` that cover `country` as a whole.
    pub fn rules_for_country(
        &self,
        country: CountryCode,
        date: NaiveDate,
    ) -> impl Iterator<Item = &JurisdictionRule> {
        self.rules_in_force_on(date)
            .filter(move |rule| rule.countries.contains(&country))
    }

    /// The rules in force on `date` that a place named in `address` falls under, each with the
    /// place name found.
    pub fn rules_for_address(
        &self,
        address: &str,
        date: NaiveDate,
    ) -> Vec<(&JurisdictionRule, &str)> {
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
            .filter(|(rule, _)| rule.in_force_on(date))
            .collect()
    }
}

fn date((year, month, day): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
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

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// A day on which every built-in rule but OFAC's Syria programme is in force.
    fn recently() -> NaiveDate {
        day("2025-12-01")
    }

    /// A day before EO 14312 ended the Syria programme, after every other rule began.
    fn before_eo_14312() -> NaiveDate {
        day("2025-06-30")
    }

    #[test]
    fn ofac_covers_the_comprehensive_programmes_by_country() {
        let table = JurisdictionTable::builtin(Regime::Ofac);
        let on = before_eo_14312();
        for (country, rule) in [
            ("IR", "OFAC-IR"),
            ("CU", "OFAC-CU"),
            ("KP", "OFAC-KP"),
            ("SY", "OFAC-SY"),
        ] {
            let ids: Vec<&str> = table
                .rules_for_country(code(country), on)
                .map(|r| r.id.as_str())
                .collect();
            assert_eq!(ids, vec![rule], "{country}");
        }
        assert_eq!(table.rules_for_country(code("RU"), on).count(), 0);
        assert_eq!(table.rules_for_country(code("UA"), on).count(), 0);
    }

    #[test]
    fn recognises_occupied_regions_and_towns_in_addresses() {
        let table = JurisdictionTable::builtin(Regime::Ofac);
        let ids = |address: &str| -> Vec<String> {
            table
                .rules_for_address(address, recently())
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
            .rules_for_address("Melitopol", recently())
            .into_iter()
            .map(|(r, _)| r.id.as_str())
            .collect();
        assert_eq!(found, vec!["EU-UA-KHERSON-ZAPORIZHZHIA"]);
    }

    #[test]
    fn the_syria_programme_applies_until_eo_14312_took_effect() {
        let table = JurisdictionTable::builtin(Regime::Ofac);
        let syria = |date: &str| -> Vec<String> {
            table
                .rules_for_country(code("SY"), day(date))
                .map(|r| r.id.clone())
                .collect()
        };
        assert_eq!(syria("2025-06-30"), vec!["OFAC-SY"]);
        assert!(syria("2025-07-01").is_empty());
        assert!(syria("2026-01-15").is_empty());
        // Before EO 13582 there was no country-wide programme either.
        assert!(syria("2011-08-16").is_empty());
        let damascus = |date: &str| table.rules_for_address("Damascus, Syria", day(date)).len();
        assert_eq!(damascus("2025-06-30"), 1);
        assert_eq!(damascus("2025-07-01"), 0);
        // Ending Syria's programme leaves the others as they were.
        assert_eq!(
            table
                .rules_for_country(code("IR"), day("2025-07-01"))
                .count(),
            1
        );
    }

    #[test]
    fn rules_begin_on_the_day_their_instrument_took_effect() {
        let table = JurisdictionTable::builtin_all(&[Regime::Ofac, Regime::Eu, Regime::Uk]);
        let ids = |address: &str, date: &str| -> Vec<String> {
            table
                .rules_for_address(address, day(date))
                .into_iter()
                .map(|(r, _)| r.id.clone())
                .collect()
        };
        assert!(ids("Donetsk", "2022-02-20").is_empty());
        assert_eq!(ids("Donetsk", "2022-02-21"), vec!["OFAC-UA-DNR"]);
        assert_eq!(
            ids("Donetsk", "2022-03-01"),
            vec!["OFAC-UA-DNR", "EU-UA-DONETSK-LUHANSK", "UK-UA-NGCA"]
        );
        // The UK extended its rule to Kherson and Zaporizhzhia in June 2023, the EU in
        // October 2022.
        assert_eq!(
            ids("Melitopol", "2023-01-10"),
            vec!["EU-UA-KHERSON-ZAPORIZHZHIA"]
        );
        assert_eq!(
            ids("Melitopol", "2023-06-20"),
            vec!["EU-UA-KHERSON-ZAPORIZHZHIA", "UK-UA-KHERSON-ZAPORIZHZHIA"]
        );
    }

    #[test]
    fn every_builtin_rule_has_a_start_and_ends_after_it_starts() {
        let table = JurisdictionTable::builtin_all(&[Regime::Ofac, Regime::Eu, Regime::Uk]);
        for rule in table.rules() {
            let from = rule
                .in_force_from
                .unwrap_or_else(|| panic!("{} has no start", rule.id));
            if let Some(until) = rule.in_force_until {
                assert!(from < until, "{}", rule.id);
            }
            assert!(
                !rule.places.is_empty() || !rule.countries.is_empty(),
                "{}",
                rule.id
            );
        }
    }
}
