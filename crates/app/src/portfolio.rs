//! The customer portfolio: a customer's fields validated exactly as a screening request's,
//! so that what monitoring screens is what a screening would.

use interdict_store::Customer;

use crate::contract::ScreenRequest;
use crate::screening::IgnoredField;
use crate::{Error, Limits, Screening};

/// Validates one customer's fields, naming the field at fault (`prefix` locates it in a
/// batch, e.g. `[3].` or `row 7: `).
pub fn customer(
    id: &str,
    name: &str,
    dob: Option<&str>,
    country: Option<&str>,
    schema: Option<&str>,
    prefix: &str,
) -> Result<Customer, Error> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Error::invalid(format!("{prefix}id"), "the id is empty"));
    }
    let screening = Screening::new(request(name, dob, country, schema), Limits::DEFAULT, prefix)?;
    Ok(from_screening(id, &screening))
}

/// Validates one customer's fields as a batch import does: a date of birth, country or
/// schema that does not parse is left out and reported (see [`Screening::lenient`]), so
/// that the customer is still monitored by name. The id and the name are required.
pub fn customer_lenient(
    id: &str,
    name: &str,
    dob: Option<&str>,
    country: Option<&str>,
    schema: Option<&str>,
    prefix: &str,
) -> Result<(Customer, Vec<IgnoredField>), Error> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Error::invalid(format!("{prefix}id"), "the id is empty"));
    }
    let (screening, ignored) =
        Screening::lenient(request(name, dob, country, schema), Limits::DEFAULT, prefix)?;
    Ok((from_screening(id, &screening), ignored))
}

fn request(
    name: &str,
    dob: Option<&str>,
    country: Option<&str>,
    schema: Option<&str>,
) -> ScreenRequest {
    ScreenRequest {
        name: name.to_owned(),
        dob: dob.map(str::to_owned),
        country: country.map(str::to_owned),
        schema: schema.map(str::to_owned),
        ..ScreenRequest::default()
    }
}

fn from_screening(id: &str, screening: &Screening) -> Customer {
    let query = screening.query();
    Customer {
        id: id.to_owned(),
        name: query.name.clone(),
        dob: query.dob,
        countries: query.countries.clone(),
        schema: query.schema,
    }
}
