-- A version is written in batches before it becomes visible: its entity rows go in short
-- transactions of their own (an import's writes would otherwise hold up every screening's
-- audit record for their whole length), then one short transaction marks it complete and
-- activates it. Every read of versions ignores the incomplete ones, such as what an import
-- that failed half-way left; a retry of the same content completes it.
ALTER TABLE list_versions ADD COLUMN complete BIGINT NOT NULL DEFAULT 1;
