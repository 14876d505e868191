-- An alert's subject: a portfolio customer, as before (`customer_id` is the customer's id), or
-- a screened payment message (`customer_id` holds the message's key, `payment:<format>/<message
-- id>/<reference>`, so that the pair stays unique and a message screened again finds its
-- alert; `subject` describes the message and the field that hit, as JSON). Monitoring reads
-- and plans customer alerts only.
ALTER TABLE alerts ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'customer';
ALTER TABLE alerts ADD COLUMN subject TEXT;

CREATE INDEX alerts_subject_kind ON alerts (subject_kind);
