//! Alerts as reviewers see them: one alert with everything needed to decide it, in the one
//! shape the command line and the API both answer.

use interdict_store::Store;

use crate::Error;
use crate::contract::AlertDetailJson;

/// Alert `id` with its explanation, history, proposals, customer and entity name.
pub async fn detail(store: &Store, id: i64) -> Result<AlertDetailJson, Error> {
    let detail = store.alert(id).await?;
    let customer = match store.customer(&detail.alert.customer_id).await {
        Ok(stored) => Some(stored.customer),
        Err(e) if e.is_user_error() => None,
        Err(e) => return Err(e.into()),
    };
    let entity_name = match store.entity(&detail.alert.entity_id).await {
        Ok(stored) => Some(stored.entity.name),
        Err(e) if e.is_user_error() => None,
        Err(e) => return Err(e.into()),
    };
    Ok(AlertDetailJson::new(
        &detail,
        customer.as_ref(),
        entity_name,
    ))
}
