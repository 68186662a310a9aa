-- Client and contact search (GET /v1/clients?search=, GET /v1/contacts?search=; src/repository/search.sql.ts).
--
-- Names are folded at write time (fold_name, 0015), into a generated column, so "Peak Dental Care Limited" and
-- "Peak Dental Care Ltd" are the same text in the index. Three ways in, each an index led by practice_id:
--   * the folded name's words (GIN over the word array): a query word matches a name word exactly, as its
--     prefix, or within a small edit distance — the distance is computed on the few vocabulary words a
--     trigram index proposes, never on every name;
--   * the folded name itself (btree, text_pattern_ops): exact names and names starting with the query;
--   * trigram word similarity over the folded name (GIN), for what the word match misses (an extra word in
--     the query, a typo beyond the edit distance).
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

ALTER TABLE clients ADD COLUMN name_folded text GENERATED ALWAYS AS (fold_name(name)) STORED;
ALTER TABLE contacts ADD COLUMN name_folded text
  GENERATED ALWAYS AS (fold_name(coalesce(first_name || ' ', '') || last_name)) STORED;

-- The old search text (name, reference and number in one trigram column) is replaced by the folded name; references
-- and company numbers keep their prefix indexes of 0002.
DROP INDEX clients_practice_search_trgm;
ALTER TABLE clients DROP COLUMN search;

CREATE INDEX clients_practice_name_words ON clients USING gin (practice_id, (string_to_array(name_folded, ' ')));
CREATE INDEX clients_practice_name_folded ON clients (practice_id, name_folded text_pattern_ops);
CREATE INDEX clients_practice_name_trgm ON clients USING gin (practice_id, name_folded gin_trgm_ops);
CREATE INDEX contacts_practice_name_words ON contacts USING gin (practice_id, (string_to_array(name_folded, ' ')));
CREATE INDEX contacts_practice_name_folded ON contacts (practice_id, name_folded text_pattern_ops);
CREATE INDEX contacts_practice_name_trgm ON contacts USING gin (practice_id, name_folded gin_trgm_ops);
CREATE INDEX contacts_practice_email ON contacts (practice_id, lower(email) text_pattern_ops) WHERE email IS NOT NULL;

-- Every word of a practice's folded client and contact names: what a query word with a typo is compared with.
-- Kept by statement-level triggers (one INSERT … SELECT per statement, whatever its row count, so a commit of
-- 50,000 clients adds its words in one go). A word whose last name went away stays; it then matches nothing.
CREATE TABLE search_words (
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  word text NOT NULL,
  PRIMARY KEY (practice_id, word)
);
CREATE INDEX search_words_prefix ON search_words (practice_id, word text_pattern_ops);
CREATE INDEX search_words_trgm ON search_words USING gin (practice_id, word gin_trgm_ops);

ALTER TABLE search_words ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_only ON search_words USING (practice_id = current_practice());
GRANT SELECT ON search_words TO brightclient_tenant;

CREATE FUNCTION add_search_words() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO search_words (practice_id, word)
  SELECT DISTINCT n.practice_id, w.word
    FROM named n, unnest(string_to_array(n.name_folded, ' ')) AS w(word)
   WHERE w.word <> ''
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER clients_search_words_insert AFTER INSERT ON clients
  REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION add_search_words();
CREATE TRIGGER clients_search_words_update AFTER UPDATE ON clients
  REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION add_search_words();
CREATE TRIGGER contacts_search_words_insert AFTER INSERT ON contacts
  REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION add_search_words();
CREATE TRIGGER contacts_search_words_update AFTER UPDATE ON contacts
  REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION add_search_words();

INSERT INTO search_words (practice_id, word)
SELECT DISTINCT n.practice_id, w.word
  FROM (SELECT practice_id, name_folded FROM clients UNION ALL SELECT practice_id, name_folded FROM contacts) n,
       unnest(string_to_array(n.name_folded, ' ')) AS w(word)
 WHERE w.word <> ''
ON CONFLICT DO NOTHING;

-- Damerau-style edit distance of two words: Levenshtein (fuzzystrmatch), except that one swap of two neighbouring
-- letters counts 1, not 2 ("smtih" is one slip from "smith"). Computed only on candidate words.
CREATE FUNCTION word_distance(a text, b text) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE
    WHEN length(a) = length(b) AND levenshtein(a, b) = 2 AND EXISTS (
           SELECT FROM generate_series(1, length(a) - 1) AS i
            WHERE overlay(a PLACING substr(a, i + 1, 1) || substr(a, i, 1) FROM i FOR 2) = b) THEN 1
    ELSE levenshtein(a, b)
  END;
GRANT EXECUTE ON FUNCTION word_distance(text, text) TO brightclient_tenant;

-- The contact list without a search, by last name, then first name.
CREATE INDEX contacts_practice_sort_name ON contacts (practice_id, (last_name || ' ' || coalesce(first_name, '')), id);
