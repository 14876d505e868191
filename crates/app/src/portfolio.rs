//! The customer portfolio: a customer's fields validated exactly as a screening request's,
//! so that what monitoring screens is what a screening would.

use interdict_store::Customer;

use crate::contract::ScreenRequest;
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
    let screening = Screening::new(
        ScreenRequest {
            name: name.to_owned(),
            dob: dob.map(str::to_owned),
            country: country.map(str::to_owned),
            schema: schema.map(str::to_owned),
            ..ScreenRequest::default()
        },
        Limits::DEFAULT,
        prefix,
    )?;
    let query = screening.query();
    Ok(Customer {
        id: id.to_owned(),
        name: query.name.clone(),
        dob: query.dob,
        countries: query.countries.clone(),
        schema: query.schema,
    })
}
