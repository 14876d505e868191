-- Continuous monitoring: the customer portfolio, what it was last screened against, one alert
-- per (customer, entity) pair with its history and four-eyes decisions, and webhook
-- subscriptions with a durable outbox.

-- Counters: `customer_revision` is taken (incremented) by every portfolio change, in its
-- transaction, which serialises portfolio writers; `customers_screened_through` is the
-- highest revision the last monitoring run saw. Customers above it are new or changed.
CREATE TABLE monitor_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO monitor_counters (name, value) VALUES ('customer_revision', 0);
INSERT INTO monitor_counters (name, value) VALUES ('customers_screened_through', 0);

CREATE TABLE customers (
    customer_id      TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    dob              TEXT,
    countries        TEXT NOT NULL,
    schema_name      TEXT,
    created_revision BIGINT NOT NULL,
    revision         BIGINT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE INDEX customers_revision ON customers (revision);

-- The list version the portfolio was last screened against, per list.
CREATE TABLE monitor_lists (
    list_id      TEXT PRIMARY KEY,
    version      TEXT NOT NULL,
    monitored_at TEXT NOT NULL
);

CREATE TABLE alerts (
    alert_id             INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id          TEXT NOT NULL,
    entity_id            TEXT NOT NULL,
    list_id              TEXT NOT NULL,
    list_version         TEXT NOT NULL,
    score_e4             BIGINT NOT NULL,
    matched_name         TEXT NOT NULL,
    explanation          TEXT NOT NULL,
    customer_fingerprint TEXT NOT NULL,
    entity_fingerprint   TEXT NOT NULL,
    status               TEXT NOT NULL,
    reason               TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    decision_note        TEXT,
    decided_by           TEXT,
    approved_by          TEXT,
    decided_at           TEXT,
    previous_status      TEXT,
    previous_note        TEXT,
    previous_decided_by  TEXT,
    previous_approved_by TEXT,
    previous_decided_at  TEXT,
    UNIQUE (customer_id, entity_id)
);

CREATE INDEX alerts_status ON alerts (status);
CREATE INDEX alerts_entity ON alerts (entity_id);

CREATE TABLE alert_proposals (
    proposal_id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id    BIGINT NOT NULL REFERENCES alerts (alert_id),
    decision    TEXT NOT NULL,
    note        TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    state       TEXT NOT NULL,
    reviewed_by TEXT,
    reviewed_at TEXT,
    review_note TEXT
);

-- At most one proposal per alert waits for review.
CREATE UNIQUE INDEX alert_proposals_pending ON alert_proposals (alert_id) WHERE state = 'pending';

CREATE TABLE alert_history (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id BIGINT NOT NULL REFERENCES alerts (alert_id),
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    status   TEXT NOT NULL,
    note     TEXT,
    detail   TEXT NOT NULL
);

CREATE INDEX alert_history_alert ON alert_history (alert_id);

CREATE TABLE webhooks (
    webhook_id INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One row per (event, subscription), written in the transaction of the event. Times in
-- milliseconds since the Unix epoch.
CREATE TABLE webhook_outbox (
    delivery_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      BIGINT NOT NULL REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    event_id        BIGINT NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_ms BIGINT NOT NULL,
    lease_until_ms  BIGINT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT
);

CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_ms);
