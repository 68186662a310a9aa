-- Who started an import: null for its source product (the token's source), else the practice user who pressed
-- retry in the web UI on the source's behalf. Shown in lists so that imports of one source tell apart.
ALTER TABLE imports ADD COLUMN started_by_user uuid REFERENCES users ON DELETE SET NULL;
