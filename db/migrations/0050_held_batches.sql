-- A batch is acknowledged once its bytes are held here with its receipt, before its typed rows are staged (writing
-- those took as long as parsing and checking it); staged_at says when its staged rows, links and errors were
-- written, in the transaction that clears the body. Processing stages a batch still held (a crash after the 202).
-- The body is the decoded JSON text, stored uncompressed: compressing 10 MB would cost more than writing it.
ALTER TABLE batches ADD COLUMN body text, ADD COLUMN staged_at timestamptz;
ALTER TABLE batches ALTER COLUMN body SET STORAGE EXTERNAL;
UPDATE batches SET staged_at = received_at;
