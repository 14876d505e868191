//! `interdict keys`: create, list and revoke API keys. A key's secret is printed once, at
//! creation; the store keeps only its hash.

use anyhow::Result;
use interdict_store::{Role, Store};
use serde_json::json;

use crate::audit::cli_actor;
use crate::output::{outln, print_json_line, printable};

pub(crate) async fn run_create(store: &Store, role: &str, name: &str, as_json: bool) -> Result<()> {
    let role: Role = role.parse()?;
    let created = store.create_key(role, name, &cli_actor()).await?;
    if as_json {
        print_json_line(&json!({ "id": created.info.id, "key": created.key }))?;
    } else {
        outln!("created {} key {}", role, created.info.id)?;
        outln!("{}", created.key)?;
        eprintln!("store the key now: it cannot be shown again");
    }
    Ok(())
}

pub(crate) async fn run_list(store: &Store, as_json: bool) -> Result<()> {
    let keys = store.keys().await?;
    if as_json {
        for key in &keys {
            print_json_line(key)?;
        }
        return Ok(());
    }
    if keys.is_empty() {
        outln!("no keys yet; create one with `interdict keys create --role ROLE`")?;
        return Ok(());
    }
    outln!(
        "{:<16}  {:<9}  {:<20}  {:<20}  name",
        "id",
        "role",
        "created",
        "revoked"
    )?;
    for key in &keys {
        outln!(
            "{:<16}  {:<9}  {:<20}  {:<20}  {}",
            key.id,
            key.role,
            key.created_at,
            key.revoked_at.as_deref().unwrap_or(""),
            printable(&key.name)
        )?;
    }
    Ok(())
}

pub(crate) async fn run_revoke(store: &Store, id: &str) -> Result<()> {
    let key = store.revoke_key(id, &cli_actor()).await?;
    outln!(
        "revoked {} key {} at {}",
        key.role,
        key.id,
        key.revoked_at.as_deref().unwrap_or("?")
    )?;
    Ok(())
}
