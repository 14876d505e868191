-- Versioned list store: immutable, content-addressed versions; one active version per list.

CREATE TABLE lists (
    list_id        TEXT PRIMARY KEY,
    active_version TEXT
);

CREATE TABLE list_versions (
    list_id      TEXT NOT NULL REFERENCES lists (list_id),
    version      TEXT NOT NULL,
    format       TEXT NOT NULL,
    entity_count BIGINT NOT NULL,
    name_count   BIGINT NOT NULL,
    imported_at  TEXT NOT NULL,
    published    TEXT,
    source_files TEXT NOT NULL,
    PRIMARY KEY (list_id, version)
);

CREATE INDEX list_versions_version ON list_versions (version);

-- Entity content without provenance, keyed by its SHA-256: an entity unchanged between two
-- versions is stored once.
CREATE TABLE entity_content (
    content_hash TEXT PRIMARY KEY,
    body         TEXT NOT NULL
);

CREATE TABLE version_entities (
    list_id      TEXT NOT NULL,
    version      TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES entity_content (content_hash),
    source       TEXT NOT NULL,
    PRIMARY KEY (list_id, version, entity_id),
    FOREIGN KEY (list_id, version) REFERENCES list_versions (list_id, version)
);

CREATE INDEX version_entities_entity ON version_entities (entity_id);
