//! A customer of the portfolio, and the one way a party (customer or listed entity) becomes a
//! screening query.

use interdict_matching::Query;
use interdict_model::{CountryCode, DateOfBirth, Entity, EntityId, Schema};

use crate::fingerprint::match_fingerprint;

/// The pseudo-list id under which customers are indexed: customer `C` is entity
/// `portfolio:C`.
pub const PORTFOLIO_LIST: &str = "portfolio";

/// A customer as monitoring sees it: what screening can use.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// The bank's own customer id.
    pub id: String,
    /// The name, in any script and order.
    pub name: String,
    /// Date of birth (or incorporation).
    pub dob: Option<DateOfBirth>,
    /// Countries: nationality, residence.
    pub countries: Vec<CountryCode>,
    /// What kind of party it is; `None` when the bank does not say.
    pub schema: Option<Schema>,
}

impl Customer {
    /// The customer as an entity of the [`PORTFOLIO_LIST`] pseudo-list, for indexing the
    /// portfolio.
    pub fn to_entity(&self) -> Entity {
        let mut entity = Entity::new(
            EntityId::new(PORTFOLIO_LIST, &self.id),
            self.schema.unwrap_or(Schema::Unknown),
            self.name.trim(),
        );
        entity.dates_of_birth.extend(self.dob);
        for &country in &self.countries {
            entity.add_country(country);
        }
        entity
    }

    /// The query that screens this customer against the lists.
    pub fn query(&self) -> Query {
        query_for(&self.to_entity())
    }

    /// The customer's [`match_fingerprint`].
    pub fn fingerprint(&self) -> String {
        match_fingerprint(&self.to_entity())
    }
}

/// The query that screens a party by its primary name, with its first date of birth, its
/// countries, gender, identifiers and schema (`Unknown`: any kind, unless a date of birth,
/// a gender or a patronymic says it is a person: see `Query::screened_schema`).
pub fn query_for(entity: &Entity) -> Query {
    Query {
        name: entity.name.clone(),
        schema: (entity.schema != Schema::Unknown).then_some(entity.schema),
        dob: entity.dates_of_birth.first().copied(),
        countries: entity.countries.clone(),
        gender: entity.gender,
        identifiers: entity.identifiers.clone(),
        // Inferred: a party with a date of birth or gender is screened as a person.
        any_schema: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_becomes_a_portfolio_entity_and_back_into_the_same_query() {
        let customer = Customer {
            id: "C-17:a".into(),
            name: " Yelena Mizulina ".into(),
            dob: DateOfBirth::parse("1954-12-09"),
            countries: vec!["RU".parse().expect("country")],
            schema: Some(Schema::Person),
        };
        let entity = customer.to_entity();
        assert_eq!(entity.id.as_str(), "portfolio:C-17:a");
        assert_eq!(entity.id.source_id(), "C-17:a");
        let query = customer.query();
        assert_eq!(query.name, "Yelena Mizulina");
        assert_eq!(query.schema, Some(Schema::Person));
        assert_eq!(query.dob, customer.dob);
        assert_eq!(query.countries, customer.countries);
        assert_eq!(query_for(&entity), query);
    }

    #[test]
    fn no_schema_queries_any_schema() {
        let customer = Customer {
            id: "1".into(),
            name: "Acme".into(),
            dob: None,
            countries: Vec::new(),
            schema: None,
        };
        assert_eq!(customer.to_entity().schema, Schema::Unknown);
        assert_eq!(customer.query().schema, None);
    }
}
