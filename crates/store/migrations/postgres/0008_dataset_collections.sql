-- Named collections of lists for yente's API (`/match/{dataset}`, `/search/{dataset}`,
-- `/catalog`): a collection such as `sanctions` holds the list ids given, as a JSON array.
-- Admins set and remove them; each change is recorded in the audit trail in the same
-- transaction.
CREATE TABLE dataset_collections (
    name       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    lists      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
