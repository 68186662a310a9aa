-- A retry asks for exact refs; those the source did not send are counted when the retry completes, so a retry that
-- "succeeded" without the records it was for says so (they stay in the original's failed refs).
ALTER TABLE imports ADD COLUMN not_sent jsonb;
