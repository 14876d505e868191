//! The sanctions regimes and their ownership rules, as data.

use std::fmt;

use interdict_model::{PartialDate, Share};
use serde::{Deserialize, Serialize};

/// A sanctions regime whose ownership rule the graph applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// US OFAC: the 50 percent rule.
    Ofac,
    /// European Union: ownership and control.
    Eu,
    /// United Kingdom (OFSI): ownership and control.
    Uk,
}

impl Regime {
    /// Every regime, in report order.
    pub const ALL: [Regime; 3] = [Regime::Ofac, Regime::Eu, Regime::Uk];

    /// `ofac`, `eu` or `uk`.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Ofac => "ofac",
            Regime::Eu => "eu",
            Regime::Uk => "uk",
        }
    }

    /// The regime's ownership rule as last amended (in force since [`EU_HALF_COUNTS_FROM`]);
    /// a screening applies [`Regime::rule_on`] its date.
    pub fn rule(self) -> RegimeRule {
        self.rule_on(EU_HALF_COUNTS_FROM)
    }

    /// The regime's ownership rule as in force on `date`, the screening date (a replay
    /// passes the recorded one, so that it answers as the screening did).
    ///
    /// - OFAC (FAQs 398–401): owned 50% or more, directly or indirectly, in the aggregate, by
    ///   one or more blocked persons. An entity blocked this way is itself a blocked person, so
    ///   its stakes count in full (FAQ 401), never multiplied along the chain. Control alone
    ///   does not block.
    /// - EU (Council's Best Practices, "ownership and control"): the holdings of listed
    ///   persons aggregated, or control. The threshold was "more than 50%" of the proprietary
    ///   rights until the Council's update of the Best Practices of 3 July 2024 (following
    ///   recital 28 of Regulation (EU) 2024/1745), and is "50% or more" from that day
    ///   ([`EU_HALF_COUNTS_FROM`]).
    /// - UK (OFSI, "owned or controlled directly or indirectly"): more than 50% held by one
    ///   designated person, directly or through entities that person owns or controls; the
    ///   holdings of different designated persons add up only when held jointly (the joint
    ///   flag of a relation), or control.
    pub fn rule_on(self, date: PartialDate) -> RegimeRule {
        let half = Share::from_ppm(500_000).unwrap_or(Share::WHOLE);
        match self {
            Regime::Ofac => RegimeRule {
                threshold: half,
                strictly_above: false,
                aggregates_owners: true,
                counts_control: false,
            },
            Regime::Eu => RegimeRule {
                threshold: half,
                strictly_above: !half_counts_in_eu(date),
                aggregates_owners: true,
                counts_control: true,
            },
            Regime::Uk => RegimeRule {
                threshold: half,
                strictly_above: true,
                aggregates_owners: false,
                counts_control: true,
            },
        }
    }

    /// The regimes whose designations a list carries, by its list id (interdict's defaults
    /// and OpenSanctions dataset names): the OFAC SDN list is OFAC's; the EU's Financial
    /// Sanctions Files the EU's; the OFSI consolidated list and the UK Sanctions List the
    /// UK's; the UN Security Council list both the EU's and the UK's, which give effect to
    /// UN designations by law (the US lists them on the SDN list itself). Any other list
    /// (the US Consolidated Screening List mixes export-control lists with the SDN) has none:
    /// the caller decides.
    pub fn for_list(list_id: &str) -> Vec<Regime> {
        match list_id.trim().to_ascii_lowercase().as_str() {
            "ofac-sdn" | "us_ofac_sdn" => vec![Regime::Ofac],
            "eu-fsf" | "eu_fsf" => vec![Regime::Eu],
            "uk-ofsi" | "uk-sanctions-list" | "gb_hmt_sanctions" | "gb_fcdo_sanctions" => {
                vec![Regime::Uk]
            }
            "un-sc" | "un_sc_sanctions" => vec![Regime::Eu, Regime::Uk],
            _ => Vec::new(),
        }
    }

    /// The position of the regime in [`Regime::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Regime::Ofac => 0,
            Regime::Eu => 1,
            Regime::Uk => 2,
        }
    }
}

impl fmt::Display for Regime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Regime {
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        Regime::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| crate::Error::UnknownRegime {
                name: text.to_owned(),
            })
    }
}

/// The first screening date on which exactly 50% held by listed persons blocks under the EU
/// rule: the Council's "Update of the EU Best Practices for the effective implementation of
/// restrictive measures" of 3 July 2024 changed "more than 50%" to "50% or more".
pub const EU_HALF_COUNTS_FROM: PartialDate = PartialDate {
    year: 2024,
    month: Some(7),
    day: Some(3),
};

/// Whether the EU's "50% or more" applies on `date`. A date given to the month or the year
/// only is read at its last day, so that a period reaching into 3 July 2024 gets the
/// stricter (blocking) rule.
fn half_counts_in_eu(date: PartialDate) -> bool {
    let last_day = (date.year, date.month.unwrap_or(12), date.day.unwrap_or(31));
    let from = (
        EU_HALF_COUNTS_FROM.year,
        EU_HALF_COUNTS_FROM.month.unwrap_or(1),
        EU_HALF_COUNTS_FROM.day.unwrap_or(1),
    );
    last_day >= from
}

/// When a regime treats an entity as blocked through its owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegimeRule {
    /// The share of blocked owners that blocks.
    pub threshold: Share,
    /// `true`: the share must exceed the threshold (> 50%); `false`: reach it (≥ 50%).
    pub strictly_above: bool,
    /// Whether the stakes of different blocked owners add up. When not, they add up per
    /// designated person (its own stakes and those of the entities blocked through it), and
    /// across persons only for stakes held jointly.
    pub aggregates_owners: bool,
    /// Whether control by a blocked party blocks, whatever the share.
    pub counts_control: bool,
}

impl RegimeRule {
    /// Whether `share` meets the threshold.
    pub fn meets(self, share: Share) -> bool {
        if self.strictly_above {
            share > self.threshold
        } else {
            share >= self.threshold
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap_or_else(|| panic!("{text} is a date"))
    }

    #[test]
    fn thresholds_are_at_or_above_half() {
        let half = Share::from_ppm(500_000).unwrap_or(Share::ZERO);
        let above = Share::from_ppm(500_001).unwrap_or(Share::ZERO);
        let day = date("2022-03-24");
        assert!(Regime::Ofac.rule_on(day).meets(half));
        assert!(!Regime::Eu.rule_on(day).meets(half) && Regime::Eu.rule_on(day).meets(above));
        assert!(!Regime::Uk.rule_on(day).meets(half) && Regime::Uk.rule_on(day).meets(above));
    }

    #[test]
    fn the_eu_counts_exactly_half_from_3_july_2024() {
        let half = Share::from_ppm(500_000).unwrap_or(Share::ZERO);
        let below = Share::from_ppm(499_999).unwrap_or(Share::ZERO);
        for before in ["2024-07-02", "2024-06", "2023"] {
            assert!(!Regime::Eu.rule_on(date(before)).meets(half), "{before}");
        }
        for after in ["2024-07-03", "2024-07", "2024", "2026-12-06"] {
            let rule = Regime::Eu.rule_on(date(after));
            assert!(rule.meets(half) && !rule.meets(below), "{after}");
        }
        // The UK's and OFAC's rules did not change.
        for day in ["2024-07-02", "2024-07-03"] {
            assert!(!Regime::Uk.rule_on(date(day)).meets(half));
            assert!(Regime::Ofac.rule_on(date(day)).meets(half));
        }
        assert!(Regime::Eu.rule().meets(half));
    }

    #[test]
    fn lists_map_to_regimes() {
        assert_eq!(Regime::for_list("ofac-sdn"), [Regime::Ofac]);
        assert_eq!(Regime::for_list("eu_fsf"), [Regime::Eu]);
        assert_eq!(Regime::for_list("uk-ofsi"), [Regime::Uk]);
        assert_eq!(Regime::for_list("un-sc"), [Regime::Eu, Regime::Uk]);
        assert!(Regime::for_list("us-csl").is_empty());
        assert_eq!("UK".parse::<Regime>(), Ok(Regime::Uk));
        assert!("us".parse::<Regime>().is_err());
    }
}
