//! Dates as lists write them: full, year and month, year only, ranges, "circa".

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A date that may lack its day or month (`1963`, `1963-11`, `1963-11-22`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct PartialDate {
    /// Year.
    pub year: u16,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day 1–31, if known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// A year-only date.
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// A full date, checked for a plausible month and day.
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day)).then_some(
            PartialDate {
                year,
                month: Some(month),
                day: Some(day),
            },
        )
    }

    /// Parses the many ways lists write dates: ISO (`1963-11-22`, `1963-11`, `1963`),
    /// OFAC (`22 Nov 1963`, `Nov 1963`), day-first numeric (`22.11.1963`, `22/11/1963`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_end_matches('.');
        if text.is_empty() {
            return None;
        }
        if let Some(date) = parse_iso(text) {
            return Some(date);
        }
        let parts: Vec<&str> = text
            .split([' ', '.', '/', '-', ','])
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [day, month, year] => {
                let year = parse_year(year)?;
                let month = parse_month(month)?;
                let day: u8 = day.parse().ok()?;
                PartialDate::ymd(year, month, day)
            }
            [month, year] => {
                let year = parse_year(year)?;
                let month = parse_month(month)?;
                Some(PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                })
            }
            [year] => parse_year(year).map(PartialDate::year),
            _ => None,
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_year(text: &str) -> Option<u16> {
    let year: u16 = text.parse().ok()?;
    (text.len() == 4 && (1000..=2999).contains(&year)).then_some(year)
}

fn parse_month(text: &str) -> Option<u8> {
    if let Ok(month) = text.parse::<u8>() {
        return (1..=12).contains(&month).then_some(month);
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = text.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .and_then(|i| u8::try_from(i + 1).ok())
}

fn parse_iso(text: &str) -> Option<PartialDate> {
    // Accept a trailing time (`1963-11-22T00:00:00`) by cutting it off.
    let text = text.split('T').next()?;
    let mut parts = text.split('-');
    let year = parts.next()?;
    if year.len() != 4 {
        return None;
    }
    let year = parse_year(year)?;
    let month = match parts.next() {
        None => return Some(PartialDate::year(year)),
        Some(m) if m.len() == 2 => m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?,
        Some(_) => return None,
    };
    let day = match parts.next() {
        None => {
            return Some(PartialDate {
                year,
                month: Some(month),
                day: None,
            });
        }
        Some(d) if d.len() == 2 => d.parse::<u8>().ok()?,
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    PartialDate::ymd(year, month, day)
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse(s).ok_or_else(|| format!("{s:?} is not a date"))
    }
}

impl From<PartialDate> for String {
    fn from(date: PartialDate) -> String {
        date.to_string()
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// A date of birth as a list states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DateOfBirth {
    /// An exact date, possibly only a year or a year and month.
    Exact {
        /// The date.
        date: PartialDate,
    },
    /// "circa 1963": within a few years of the date.
    Circa {
        /// The approximate date.
        date: PartialDate,
    },
    /// "1960 to 1965": any date in the range, both ends included.
    Range {
        /// First possible date.
        from: PartialDate,
        /// Last possible date.
        to: PartialDate,
    },
}

impl DateOfBirth {
    /// Years either side of a "circa" date that still agree with it.
    pub const CIRCA_YEARS: u16 = 2;

    /// The inclusive year range this date of birth allows.
    pub fn year_range(&self) -> (u16, u16) {
        match *self {
            DateOfBirth::Exact { date } => (date.year, date.year),
            DateOfBirth::Circa { date } => (
                date.year.saturating_sub(Self::CIRCA_YEARS),
                date.year.saturating_add(Self::CIRCA_YEARS),
            ),
            DateOfBirth::Range { from, to } => (from.year.min(to.year), from.year.max(to.year)),
        }
    }

    /// Parses the OFAC and common forms: `22 Nov 1963`, `1963`, `circa 1963`,
    /// `1960 to 1965`, `1960-1965`, ISO dates.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        for prefix in ["circa ", "ca. ", "approximately ", "approx. ", "c. "] {
            if let Some(rest) = lower.strip_prefix(prefix) {
                return PartialDate::parse(rest).map(|date| DateOfBirth::Circa { date });
            }
        }
        if let Some((from, to)) = lower.split_once(" to ") {
            let from = PartialDate::parse(from)?;
            let to = PartialDate::parse(to)?;
            return Some(DateOfBirth::Range { from, to });
        }
        if let Some(date) = PartialDate::parse(text) {
            return Some(DateOfBirth::Exact { date });
        }
        // "1960-1965" is a range of years, not an ISO date.
        let (from, to) = lower.split_once('-')?;
        let from = parse_year(from.trim())?;
        let to = parse_year(to.trim())?;
        Some(DateOfBirth::Range {
            from: PartialDate::year(from),
            to: PartialDate::year(to),
        })
    }
}

impl fmt::Display for DateOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOfBirth::Exact { date } => write!(f, "{date}"),
            DateOfBirth::Circa { date } => write!(f, "circa {date}"),
            DateOfBirth::Range { from, to } => write!(f, "{from} to {to}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_list_date_forms() {
        assert_eq!(
            PartialDate::parse("22 Nov 1963").map(|d| d.to_string()),
            Some("1963-11-22".into())
        );
        assert_eq!(
            PartialDate::parse("Nov 1963").map(|d| d.to_string()),
            Some("1963-11".into())
        );
        assert_eq!(
            PartialDate::parse("1963").map(|d| d.to_string()),
            Some("1963".into())
        );
        assert_eq!(
            PartialDate::parse("22.11.1963").map(|d| d.to_string()),
            Some("1963-11-22".into())
        );
        assert_eq!(
            PartialDate::parse("1963-11-22T00:00:00").map(|d| d.to_string()),
            Some("1963-11-22".into())
        );
        assert_eq!(PartialDate::parse("31 Feb 1963"), None);
        assert_eq!(PartialDate::parse("soon"), None);
    }

    #[test]
    fn parses_circa_and_ranges() {
        assert_eq!(
            DateOfBirth::parse("circa 1955").map(|d| d.year_range()),
            Some((1953, 1957))
        );
        assert_eq!(
            DateOfBirth::parse("1960 to 1965").map(|d| d.year_range()),
            Some((1960, 1965))
        );
        assert_eq!(
            DateOfBirth::parse("1960-1965").map(|d| d.year_range()),
            Some((1960, 1965))
        );
        assert_eq!(
            DateOfBirth::parse("01 Jan 1958").map(|d| d.to_string()),
            Some("1958-01-01".into())
        );
    }

    #[test]
    fn serialises_as_text() {
        let date = PartialDate::parse("Nov 1963").expect("date");
        assert_eq!(serde_json::to_string(&date).expect("json"), "\"1963-11\"");
    }
}
