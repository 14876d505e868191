//! Why an alert (of monitoring, or of a payment) was raised, re-raised or closed: the one vocabulary the planner
//! (`monitor`) decides in and the store (`store`) keeps.

use std::fmt;
use std::str::FromStr;

/// Why an alert was raised, re-raised or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertReason {
    /// The customer was screened for the first time.
    NewCustomer,
    /// The customer's record changed (name, date of birth, country, schema).
    CustomerChanged,
    /// The entity was added to its list.
    ListUpdate,
    /// The entity's match-relevant data changed (names, dates of birth, countries,
    /// identifiers).
    EntityChanged,
    /// A full re-screen found a pair that neither side's change explains (a new threshold
    /// or engine).
    Rescreen,
    /// Closing: the entity is no longer on its list.
    Delisted,
    /// Closing: the customer left the portfolio.
    CustomerRemoved,
    /// A payment message screened with alerts asked for had a hit (the alert's subject is
    /// the payment, not a customer).
    PaymentHit,
}

impl AlertReason {
    /// Every reason, in the order above.
    pub const ALL: [AlertReason; 8] = [
        AlertReason::NewCustomer,
        AlertReason::CustomerChanged,
        AlertReason::ListUpdate,
        AlertReason::EntityChanged,
        AlertReason::Rescreen,
        AlertReason::Delisted,
        AlertReason::CustomerRemoved,
        AlertReason::PaymentHit,
    ];

    /// The stored and printed name, e.g. `list_update`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertReason::NewCustomer => "new_customer",
            AlertReason::CustomerChanged => "customer_changed",
            AlertReason::ListUpdate => "list_update",
            AlertReason::EntityChanged => "entity_changed",
            AlertReason::Rescreen => "rescreen",
            AlertReason::Delisted => "delisted",
            AlertReason::CustomerRemoved => "customer_removed",
            AlertReason::PaymentHit => "payment_hit",
        }
    }
}

impl fmt::Display for AlertReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AlertReason {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AlertReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown alert reason {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_name_and_unknown_names_are_refused() {
        for reason in AlertReason::ALL {
            assert_eq!(reason.as_str().parse::<AlertReason>(), Ok(reason));
            assert_eq!(reason.to_string(), reason.as_str());
        }
        assert!("listupdate".parse::<AlertReason>().is_err());
    }
}
