-- Every audit record must extend the chain's head, and advances it. A multi-row INSERT of
-- records is then a complete append on its own, atomic as any statement: one that raced
-- another append (from this process or any other) fails whole and changes nothing.
CREATE TRIGGER audit_records_extend_head BEFORE INSERT ON audit_records
BEGIN
    SELECT RAISE(ABORT, 'audit chain conflict: the record does not extend the head')
    WHERE NOT EXISTS (
        SELECT 1 FROM audit_head
        WHERE id = 1 AND seq = NEW.seq - 1 AND hash = NEW.prev_hash
    );
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END;
