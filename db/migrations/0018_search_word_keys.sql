-- The word path of search (0016) keys each name word by its practice ("<practice id>:<word>") instead of leading the
-- GIN index with practice_id: with practice_id as a GIN column, a large practice's own entry is every one of its
-- rows, and the planner preferred to scan the table and split every name (21 ms at 20,000 clients for "peak"); a
-- keyed word is as selective as the word itself and never matches another practice's rows.
CREATE FUNCTION name_keys(practice_id uuid, name_folded text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN ARRAY(SELECT practice_id::text || ':' || w FROM unnest(string_to_array(name_folded, ' ')) AS w WHERE w <> '');
GRANT EXECUTE ON FUNCTION name_keys(uuid, text) TO brightclient_tenant;

CREATE INDEX clients_name_keys ON clients USING gin (name_keys(practice_id, name_folded));
CREATE INDEX contacts_name_keys ON contacts USING gin (name_keys(practice_id, name_folded));
DROP INDEX clients_practice_name_words;
DROP INDEX contacts_practice_name_words;
