//! `interdict datasets`: the dataset collections of yente's API (`/match/{dataset}`),
//! through the same use cases as `/v1/datasets` (`interdict_app::datasets`).

use anyhow::Result;
use interdict_app::datasets::SetCollectionRequest;
use interdict_store::Store;

use crate::audit::cli_actor;
use crate::output::{outln, print_json_line, printable};

pub(crate) async fn run_set(
    store: &Store,
    name: &str,
    lists: Vec<String>,
    title: Option<String>,
) -> Result<()> {
    let request = SetCollectionRequest { lists, title };
    let set = interdict_app::datasets::set(store, name, &request, &cli_actor()).await?;
    outln!("set {}: {}", set.name, set.lists.join(", "))?;
    Ok(())
}

pub(crate) async fn run_list(store: &Store, as_json: bool) -> Result<()> {
    let collections = interdict_app::datasets::list(store).await?;
    if as_json {
        for collection in &collections {
            print_json_line(collection)?;
        }
        return Ok(());
    }
    if collections.is_empty() {
        outln!(
            "no collections; `default` is every active list and each list id is a dataset \
             (add one with `interdict datasets set NAME --lists a,b`)"
        )?;
        return Ok(());
    }
    outln!("{:<20}  {:<20}  {:<40}  title", "name", "updated", "lists")?;
    for c in &collections {
        outln!(
            "{:<20}  {:<20}  {:<40}  {}",
            c.name,
            c.updated_at,
            c.lists.join(","),
            printable(&c.title)
        )?;
    }
    Ok(())
}

pub(crate) async fn run_remove(store: &Store, name: &str) -> Result<()> {
    let removed = interdict_app::datasets::remove(store, name, &cli_actor()).await?;
    outln!("removed {} ({})", removed.name, removed.lists.join(", "))?;
    Ok(())
}
