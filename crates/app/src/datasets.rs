//! Dataset collections for yente's API: a named set of lists (`sanctions` = `ofac-sdn`,
//! `un-sc`, `eu-fsf`, `uk-sanctions-list`) that `/match/{dataset}`, `/search/{dataset}` and
//! `/catalog` answer for as one dataset, beside `default` (every active list) and each list
//! id. Collections are kept in the store; the rules of what may be one live here, under
//! every front-end (`interdict datasets`, `/v1/datasets`, the UI's Lists page).

use std::collections::BTreeSet;

use interdict_store::{DatasetCollection, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Error;

/// The dataset of every active list, which no collection may be named.
pub const DEFAULT_DATASET: &str = "default";
/// Longest collection name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Most lists in one collection.
pub const MAX_LISTS: usize = 100;

/// A collection as the API and `--json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CollectionJson {
    /// Its name, as `/match/{name}` takes it.
    #[schema(example = "sanctions")]
    pub name: String,
    /// A title for people.
    pub title: String,
    /// The list ids it holds, sorted.
    pub lists: Vec<String>,
    /// When it was last set (RFC 3339).
    pub updated_at: String,
    /// Who last set it (a key id or `cli:<user>`).
    pub updated_by: String,
}

impl From<DatasetCollection> for CollectionJson {
    fn from(c: DatasetCollection) -> Self {
        CollectionJson {
            name: c.name,
            title: c.title,
            lists: c.lists,
            updated_at: c.updated_at,
            updated_by: c.updated_by,
        }
    }
}

/// The body of `PUT /v1/datasets/{name}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetCollectionRequest {
    /// The list ids, each imported (in any version).
    #[schema(example = json!(["ofac-sdn", "un-sc"]))]
    pub lists: Vec<String>,
    /// A title for people; the name when not given.
    #[serde(default)]
    pub title: Option<String>,
}

/// Checks a collection name: 1 to [`MAX_NAME_CHARS`] lowercase ASCII letters, digits, `-`
/// and `_`, starting with a letter or digit (a URL path segment as is), and not `default`.
pub fn check_name(name: &str) -> Result<(), Error> {
    let valid_start = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_start || !valid_chars || name.len() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!(
                "{name:?} is not a collection name: 1 to {MAX_NAME_CHARS} lowercase letters, \
                 digits, '-' and '_', starting with a letter or digit"
            ),
        ));
    }
    if name == DEFAULT_DATASET {
        return Err(Error::invalid(
            "name",
            "\"default\" is every active list and cannot be redefined",
        ));
    }
    Ok(())
}

/// Every collection, by name.
pub async fn list(store: &Store) -> Result<Vec<CollectionJson>, Error> {
    Ok(store
        .dataset_collections()
        .await?
        .into_iter()
        .map(CollectionJson::from)
        .collect())
}

/// Creates or replaces collection `name` by `actor`. Every list must be imported (the error
/// names the first that is not, and the lists there are); a name that is a list id is
/// refused, since `/match/{list}` already means that list.
pub async fn set(
    store: &Store,
    name: &str,
    request: &SetCollectionRequest,
    actor: &str,
) -> Result<CollectionJson, Error> {
    let name = name.trim();
    check_name(name)?;
    let title = request
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(name);
    if title.chars().count() > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
        return Err(Error::invalid(
            "title",
            format!("at most {MAX_TITLE_CHARS} characters, none of them control characters"),
        ));
    }
    let lists: Vec<String> = request
        .lists
        .iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    if lists.is_empty() {
        return Err(Error::invalid(
            "lists",
            "a collection holds at least one list",
        ));
    }
    if lists.len() > MAX_LISTS {
        return Err(Error::invalid(
            "lists",
            format!("a collection holds at most {MAX_LISTS} lists"),
        ));
    }
    let known: BTreeSet<String> = store
        .versions()
        .await?
        .into_iter()
        .map(|v| v.list)
        .collect();
    if known.contains(name) {
        return Err(Error::invalid(
            "name",
            format!("{name:?} is a list id: /match/{name} already means that list"),
        ));
    }
    if let Some(unknown) = lists.iter().find(|l| !known.contains(*l)) {
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        return Err(Error::invalid(
            "lists",
            format!(
                "no list {unknown:?} is imported; the lists are: {}",
                if known.is_empty() {
                    "none yet".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        ));
    }
    Ok(store
        .set_dataset_collection(name, title, &lists, actor)
        .await?
        .into())
}

/// Removes collection `name` by `actor`; the store's not-found error when there is none.
pub async fn remove(store: &Store, name: &str, actor: &str) -> Result<CollectionJson, Error> {
    Ok(store
        .remove_dataset_collection(name.trim(), actor)
        .await?
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_path_segments_and_default_is_reserved() {
        for good in ["sanctions", "eu-and-uk", "peps_2026", "0day"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Sanctions",
            "-x",
            "a b",
            "a/b",
            "default",
            &"x".repeat(65),
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
