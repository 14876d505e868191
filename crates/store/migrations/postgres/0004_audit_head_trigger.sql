-- Every audit record must extend the chain's head, and advances it. A multi-row INSERT of
-- records is then a complete append on its own, atomic as any statement: one that raced
-- another append (from this replica or any other) fails whole and changes nothing. The
-- conditional UPDATE waits for a concurrent append's row lock and then re-checks the head
-- it committed, so two racing appends cannot both pass.
CREATE FUNCTION audit_records_extend_head() RETURNS trigger AS $$
BEGIN
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash
    WHERE id = 1 AND seq = NEW.seq - 1 AND hash = NEW.prev_hash;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit chain conflict: record % does not extend the head', NEW.seq
            USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_records_extend_head BEFORE INSERT ON audit_records
FOR EACH ROW EXECUTE FUNCTION audit_records_extend_head();
