-- Ownership and control relations, versioned with the list they were imported as: a
-- version holds entities, relations or both (an OpenSanctions file carries the companies
-- and people with their Ownership and Directorship records), and its id hashes both.
-- Relation content without provenance, keyed by its SHA-256: a relation unchanged between
-- two versions is stored once.
CREATE TABLE relation_content (
    content_hash TEXT PRIMARY KEY,
    body         TEXT NOT NULL
);

CREATE TABLE version_relations (
    list_id      TEXT NOT NULL,
    version      TEXT NOT NULL,
    relation_id  TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES relation_content (content_hash),
    source       TEXT NOT NULL,
    PRIMARY KEY (list_id, version, relation_id),
    FOREIGN KEY (list_id, version) REFERENCES list_versions (list_id, version)
);

ALTER TABLE list_versions ADD COLUMN relation_count BIGINT NOT NULL DEFAULT 0;
