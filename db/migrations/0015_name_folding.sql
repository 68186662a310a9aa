-- fold_name: a name as client search indexes it and as matching across sources (SPEC §9) compares it — the one
-- place the name-folding rules live: the search columns of 0016 and the query side (src/repository/search.sql.ts)
-- both call it.
--
-- Source: Companies House's "same as" rules, The Company, Limited Liability Partnership and Business (Names and
-- Trading Disclosures) Regulations 2015 (SI 2015/17), reg. 7 and Schedule 3: when names are compared, case,
-- accents, punctuation and these are disregarded —
--   * at the end of a name: "limited", "ltd", "public limited company", "plc", "limited liability partnership",
--     "llp", "company", "co", their Welsh forms ("cyfyngedig", "cyf", "cwmni cyfyngedig cyhoeddus", "ccc",
--     "partneriaeth atebolrwydd cyfyngedig", "pac"), and "uk"/"gb" ("(UK)") ; also "llc", "lp", "cic", "cio";
--   * "the" at the start of a name;
--   * "&", "+" and "and" are the same (they are dropped, so "Smith & Jones" = "Smith and Jones" = "Smith Jones").
-- Apostrophes and full stops join ("O'Brien" = "OBrien", "P.L.C." = "PLC"); any other run of punctuation or
-- spaces is one space. A name made only of such words ("The Company Ltd") keeps its words rather than folding
-- to nothing. IMMUTABLE (the unaccent dictionary is named), so generated columns and indexes can use it.
CREATE FUNCTION fold_name(name text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  words text;
  folded text;
BEGIN
  words := lower(public.unaccent('public.unaccent'::regdictionary, name));
  words := regexp_replace(words, '[''’‘`.]', '', 'g');
  words := btrim(regexp_replace(regexp_replace(words, '[&+]', ' and ', 'g'), '[^[:alnum:]]+', ' ', 'g'));
  folded := regexp_replace(words, '\mand\M', ' ', 'g');
  folded := regexp_replace(folded, '^\s*the\M', '');
  folded := regexp_replace(folded,
    '(\s+(public limited company|limited liability partnership|limited|ltd|plc|llp|llc|lp|cic|cio|company|co|'
    'cwmni cyfyngedig cyhoeddus|partneriaeth atebolrwydd cyfyngedig|cyfyngedig|cyf|ccc|pac|uk|gb))+\s*$', '');
  folded := btrim(regexp_replace(folded, '\s+', ' ', 'g'));
  RETURN CASE WHEN folded = '' THEN words ELSE folded END;
END
$$;
GRANT EXECUTE ON FUNCTION fold_name(text) TO brightclient_tenant;
