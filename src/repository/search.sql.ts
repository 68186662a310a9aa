// Client and contact search (GET /v1/clients?search=, GET /v1/contacts?search=), over the indexes of 0016.
//
// Two statements in the caller's transaction:
// 1. selectQueryWords folds the query like the names (fold_name: case, accents, punctuation, legal suffixes) and
//    finds, for each of its words, the practice's name words it may stand for — itself; a longer word it begins
//    (typing in progress); or a word within a few edits (word_distance: Levenshtein with a transposition
//    counting 1), among the candidates a trigram index and a two-letter prefix propose — each with a weight.
// 2. searchClients / searchContacts take every record whose name holds a match for *every* query word (GIN over
//    the name's words keyed by practice, one && per query word), whose folded name starts with the folded query, or whose code
//    (reference, company number; email for contacts) starts with the query; when that gives less than a page,
//    also those whose folded name is trigram-similar to the query. Then they rank them:
//      3  exact: the folded name, the reference, the company number or the email equals the query
//      2  prefix: one of those starts with the query
//      1  the others
//    plus 0.99 × similarity, where similarity = 0.8 × coverage (the mean over query words of the best weight a
//    name word gives it) + 0.2 × precision (the share of the name's words the query matched, so "Peak Dental"
//    prefers "Peak Dental Ltd" to "Peak Dental Care Ltd"), plus 0.009 × the trigram similarity of the unfolded
//    texts (letter case aside; half without accents, half with), so of names that fold alike the one written like the query comes first ("Peak
//    Ltd" before "Peak (UK) Ltd" for "Peak Limited", "Müller" before "Muller" for "Müller"). Equal ranks go by name, then id: deterministic.
//    The rank before that tie-break is computed for every candidate in one pass (a hash join of their words with the
//    query's matches); the tie-break, two trigram similarities a row, only for the candidates that can still reach
//    the page (those within its 0.009 of the page's rank before it) — a short or common query finds thousands.
import type { Queryable } from '../db/pool.ts';
import { CONTACT_SORT_NAME } from './clients.sql.ts';

/** How many name words one query word may stand for (the best by weight): bounds the work of a short prefix. */
const MATCHES_PER_WORD = 32;
/** pg_trgm similarity of a mistyped word to the word it stands for is low ("smtih"–"smith": 0.2). */
const WORD_TRIGRAM_THRESHOLD = 0.19;
/** Word similarity of the folded query to a folded name, for the trigram fallback. */
const NAME_TRIGRAM_THRESHOLD = 0.5;
/**
 * The trigram fallback ranks at most this many names, the most similar: a short or common query is similar to
 * thousands ("the" to 7,027 of 200,000 clients, all ranked: 450 ms), and a page needs a few.
 */
const NEAR_CANDIDATES = 200;
/**
 * Above the most the tie-break (0.0045 × two similarities, each at most 1) adds to a rank, with a margin for
 * floating point: rows whose rank before it is further than this below the page's need no tie-break.
 */
const TIE_BREAK_BOUND = 0.01;
/** At most this many query words are matched word by word (a pasted paragraph is not a name). */
export const MAX_QUERY_WORDS = 8;

/**
 * The thresholds are settings; they are set for the search's own transaction only. So is enable_seqscan = off: every
 * path of the search has its index, but the planner prices pg_trgm's operators like `=`, so for a long query it
 * preferred to scan every client computing word_similarity (345 ms at 20,000 clients for "kaur cleaning srevices",
 * against 12 ms through the trigram index). And no parallel workers: a search reads a few thousand rows at most, and
 * starting workers cost more than they saved ("peak" at 200,000 clients: 76 ms to gather what each path read in 12).
 * And the statements are named (`prepared`) and planned generic: each connection plans each statement once, where a
 * search planned its two statements every time (5–27 ms of a 20–45 ms search at 20,000–200,000 clients, loaded). A
 * generic plan has the same shape here — every path is an index scan led by the practice, the joins are over CTEs —
 * as long as no condition needs its value at planning time (so prefixes are index ranges, not LIKE).
 */
export async function useSearchSettings(tx: Queryable): Promise<void> {
  await tx.query(
    `SELECT set_config('pg_trgm.similarity_threshold', $1, true), set_config('pg_trgm.word_similarity_threshold', $2, true),
            set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
            set_config('plan_cache_mode', 'force_generic_plan', true)`,
    [String(WORD_TRIGRAM_THRESHOLD), String(NAME_TRIGRAM_THRESHOLD)],
  );
}

const statementNames = new Map<string, string>();
/** `text` as a named statement, so each connection plans it once (see useSearchSettings); one name per text. */
function prepared(text: string, values: unknown[]): { name: string; text: string; values: unknown[] } {
  let name = statementNames.get(text);
  if (name === undefined) statementNames.set(text, (name = `search_${statementNames.size + 1}`));
  return { name, text, values };
}

export interface WordMatch {
  /** the query word's position, from 1 */
  pos: number;
  /** a name word of the practice it stands for */
  word: string;
  /** 1 for the word itself, less for a prefix or a typo */
  weight: number;
}

export interface QueryWords {
  /** the folded query, null when nothing is left of it (only punctuation, say) */
  folded: string | null;
  /** how many words it has (at most MAX_QUERY_WORDS) */
  count: number;
  matches: WordMatch[];
}

// `chr(1114111)` (U+10FFFF) sorts after every character under text_pattern_ops (byte order), so
// `w ~>=~ p AND w ~<~ (p || chr(1114111))` is "w starts with p" as an index range.
const SELECT_QUERY_WORDS = `
  WITH q AS (SELECT nullif(fold_name($2), '') AS folded),
  typed AS (
    SELECT w.word, w.pos::int AS pos, w.pos = count(*) OVER () AS last
      FROM q, unnest(string_to_array(q.folded, ' ')) WITH ORDINALITY AS w(word, pos)
     WHERE w.pos <= $3),
  proposed AS (
    SELECT t.pos, t.word AS typed, s.word FROM typed t JOIN practice_search_words s ON s.practice_id = $1 AND s.word = t.word
    UNION
    SELECT t.pos, t.word, s.word FROM typed t
      JOIN practice_search_words s ON s.practice_id = $1 AND s.word ~>=~ t.word AND s.word ~<~ (t.word || chr(1114111))
     WHERE length(t.word) >= 2 OR t.last
    UNION
    SELECT t.pos, t.word, s.word FROM typed t JOIN practice_search_words s ON s.practice_id = $1 AND s.word % t.word
     WHERE length(t.word) >= 3
    UNION
    -- A slip in a short word leaves few trigrams in common ("knig"–"king" share one): the words of about its length
    -- that begin like it (with its first letter up to 5 letters, its first two beyond) are compared too.
    SELECT t.pos, t.word, s.word FROM typed t
      CROSS JOIN LATERAL (SELECT left(t.word, CASE WHEN length(t.word) <= 5 THEN 1 ELSE 2 END) AS head) h
      JOIN practice_search_words s ON s.practice_id = $1 AND s.word ~>=~ h.head AND s.word ~<~ (h.head || chr(1114111))
     WHERE length(t.word) >= 4 AND abs(length(s.word) - length(t.word)) <= CASE WHEN length(t.word) <= 5 THEN 1 ELSE 2 END),
  weighed AS (
    SELECT p.pos, p.word,
           CASE WHEN p.word = p.typed THEN 1
                WHEN starts_with(p.word, p.typed) THEN 0.6 + 0.3 * length(p.typed) / length(p.word)
                ELSE 0.9 * (1 - d.distance::float8 / greatest(length(p.word), length(p.typed))) END AS weight
      FROM proposed p
      CROSS JOIN LATERAL (SELECT CASE WHEN starts_with(p.word, p.typed) THEN 0 ELSE word_distance(p.word, p.typed) END AS distance) d
     -- the edits a word of that length may have: none up to 2 letters, 1 up to 5, 2 up to 9, then 3
     WHERE d.distance <= CASE WHEN length(p.typed) <= 2 THEN 0 WHEN length(p.typed) <= 5 THEN 1 WHEN length(p.typed) <= 9 THEN 2 ELSE 3 END),
  kept AS (SELECT *, row_number() OVER (PARTITION BY pos ORDER BY weight DESC, word) AS n FROM weighed)
  SELECT (SELECT folded FROM q) AS folded,
         (SELECT count(*) FROM typed)::int AS count,
         coalesce((SELECT json_agg(json_build_object('pos', pos, 'word', word, 'weight', weight) ORDER BY pos, n)
                     FROM kept WHERE n <= $4), '[]') AS matches`;

export async function selectQueryWords(db: Queryable, practiceId: string, query: string): Promise<QueryWords> {
  const { rows } = await db.query<QueryWords>(prepared(SELECT_QUERY_WORDS, [practiceId, query, MAX_QUERY_WORDS, MATCHES_PER_WORD]));
  return rows[0]!;
}

/** "`column` starts with `value`" as an index range over text_pattern_ops (see `chr(1114111)` above). */
const starts = (column: string, value: string) => `${column} ~>=~ ${value} AND ${column} ~<~ (${value} || chr(1114111))`;

/**
 * What a search target adds to the ranking statement: its table (as the practice's view), the name equal ranks are ordered by, and its codes
 * — the parameters from $11 on (`codeValues`), the candidates they find (`codeHits`, index-backed), and when they
 * make a match exact or a prefix. A prefix is an index range, not LIKE: LIKE takes its index only for a pattern known
 * when the statement is planned, and the statements are planned once, with parameters (useSearchSettings).
 */
interface Target {
  /** the practice's rows of its table (0019: the view lets a search use its indexes) */
  view: 'practice_clients' | 'practice_contacts';
  sortName: string;
  /** the name as shown; its raw trigram similarity to the query orders names that fold alike */
  displayName: string;
  /** the query first ($11: also what the tie-break compares), then what the codes compare */
  codeValues: (query: string) => string[];
  codeHits: string;
  codeExact: string;
  codePrefix: string;
}

// Company numbers are stored upper-case without spaces (intake's normalisation); the query is made alike.
const asNumber = (query: string) => query.replace(/\s+/g, '').toUpperCase();

export const CLIENT_TARGET: Target = {
  view: 'practice_clients',
  sortName: 'x.name',
  displayName: 'x.name',
  codeValues: (query) => [query, asNumber(query)],
  codeHits: `SELECT x.* FROM practice_clients x WHERE x.practice_id = $1 AND ${starts('upper(x.client_reference)', 'upper($11)')}
             UNION ALL SELECT x.* FROM practice_clients x WHERE x.practice_id = $1 AND ${starts('x.company_number', '$12')}`,
  codeExact: 'upper(x.client_reference) = upper($11) OR x.company_number = $12',
  codePrefix: 'starts_with(upper(x.client_reference), upper($11)) OR starts_with(x.company_number, $12)',
};

export const CONTACT_TARGET: Target = {
  view: 'practice_contacts',
  sortName: CONTACT_SORT_NAME,
  displayName: `coalesce(x.first_name || ' ', '') || x.last_name`,
  codeValues: (query) => [query],
  codeHits: `SELECT x.* FROM practice_contacts x WHERE x.practice_id = $1 AND ${starts('lower(x.email)', 'lower($11)')}`,
  codeExact: 'lower(x.email) = lower($11)',
  codePrefix: 'starts_with(lower(x.email), lower($11))',
};

export interface SearchKey {
  rank: number;
  name: string;
  id: string;
}

/**
 * The ranking statement of `target` (see the top of the file) with one && condition per query word, their arrays
 * the parameters after the target's codes; a query word that stands for no name word leaves the word path empty.
 * `columns` is the select list of the answer over `x`.
 */
function rankingStatement(target: Target, columns: string, codes: number, groups: number): string {
  const first = 11 + codes;
  const words =
    groups === 0
      ? 'false'
      : Array.from({ length: groups }, (_, i) => `name_keys(x.practice_id, x.name_folded) && $${first + i}::text[]`).join(' AND ');
  return `
    WITH matched(pos, word, weight) AS (SELECT * FROM unnest($4::int[], $5::text[], $6::float8[])),
    hit AS (
      SELECT x.* FROM ${target.view} x WHERE x.practice_id = $1 AND ${words}
      UNION ALL
      SELECT x.* FROM ${target.view} x
       WHERE x.practice_id = $1 AND x.name_folded ~>=~ $2 AND x.name_folded ~<~ ($2 || chr(1114111))
      UNION ALL
      ${target.codeHits}),
    near AS (
      SELECT x.* FROM ${target.view} x
       WHERE x.practice_id = $1 AND x.name_folded %> $2 AND (SELECT count(*) FROM hit) < $3
       ORDER BY word_similarity($2, x.name_folded) DESC, x.id LIMIT ${NEAR_CANDIDATES}),
    found AS (SELECT DISTINCT ON (x.id) x.* FROM (SELECT * FROM hit UNION ALL SELECT * FROM near) x),
    -- Each found name's words against the query's matches in one hash join, not a subquery per row: per name, the
    -- best weight each query word gets from one of its words (coverage), and how many of its words stand for a query
    -- word (precision).
    name_words AS (
      SELECT f.id, w.i, m.pos, m.weight
        FROM found f
        CROSS JOIN LATERAL unnest(string_to_array(f.name_folded, ' ')) WITH ORDINALITY AS w(word, i)
        LEFT JOIN matched m ON m.word = w.word),
    coverage AS (
      SELECT id, sum(best) AS covered
        FROM (SELECT id, pos, max(weight) AS best FROM name_words WHERE pos IS NOT NULL GROUP BY id, pos) per_query_word
       GROUP BY id),
    precision AS (
      SELECT id, count(*) AS words, count(*) FILTER (WHERE hit) AS hit_words
        FROM (SELECT id, i, bool_or(pos IS NOT NULL) AS hit FROM name_words GROUP BY id, i) per_name_word
       GROUP BY id),
    cheap AS (
      SELECT x.*, ${target.sortName} AS sort_name,
             (CASE WHEN x.name_folded = $2 OR ${target.codeExact} THEN 3
                   WHEN starts_with(x.name_folded, $2) OR ${target.codePrefix} THEN 2
                   ELSE 1 END
              + 0.99 * (0.8 * (coalesce(c.covered, 0)::float8 / greatest($7, 1))
                        + 0.2 * (coalesce(p.hit_words, 0)::float8 / greatest(coalesce(p.words, 0), 1))))::float8 AS rank0
        FROM found x LEFT JOIN coverage c ON c.id = x.id LEFT JOIN precision p ON p.id = x.id),
    -- The page's last rank is at least the page-th best rank0 among the rows surely after the cursor, so a row whose
    -- rank0 is more than the tie-break's 0.009 below that cannot reach the page: the tie-break is computed for the rest only.
    cut AS (
      SELECT coalesce((SELECT rank0 FROM cheap WHERE $8::float8 IS NULL OR rank0 + ${TIE_BREAK_BOUND} < $8
                        ORDER BY rank0 DESC OFFSET $3 - 1 LIMIT 1), '-infinity') AS rank0),
    ranked AS (
      SELECT x.*,
             (x.rank0
              + 0.0045 * similarity(search_text(${target.displayName}), search_text($11))
              + 0.0045 * similarity(lower(${target.displayName}), lower($11)))::float8 AS rank
        FROM cheap x, cut WHERE x.rank0 >= cut.rank0 - ${TIE_BREAK_BOUND} AND ($8::float8 IS NULL OR x.rank0 <= $8))
    SELECT ${columns}, x.rank, x.sort_name
      FROM (SELECT * FROM ranked
             WHERE $8::float8 IS NULL OR rank < $8 OR (rank = $8 AND (sort_name, id) > ($9, $10::uuid))
             ORDER BY rank DESC, sort_name, id LIMIT $3) x
     ORDER BY x.rank DESC, x.sort_name, x.id`;
}

/**
 * The rows of `target` matching `query` (whose words `words` selectQueryWords found), best first, after the keyset
 * `after`. Run it in the transaction of useSearchSettings.
 */
export async function searchRanked<Row>(
  db: Queryable,
  target: Target,
  columns: string,
  practiceId: string,
  query: string,
  words: QueryWords,
  after: SearchKey | null,
  limit: number,
): Promise<(Row & { rank: number; sort_name: string })[]> {
  const codes = target.codeValues(query);
  const groups: string[][] = [];
  for (let pos = 1; pos <= words.count; pos++) groups.push(words.matches.filter((m) => m.pos === pos).map((m) => m.word));
  // A query word standing for nothing makes the word path empty: no record holds a match for every word.
  // Each word keyed by its practice, as the index name_keys (0018) holds them.
  const wordPath = groups.every((g) => g.length > 0) ? groups.map((g) => g.map((word) => `${practiceId}:${word}`)) : [];
  const { rows } = await db.query<Row & { rank: number; sort_name: string }>(
    prepared(rankingStatement(target, columns, codes.length, wordPath.length), [
      practiceId,
      words.folded,
      limit,
      words.matches.map((m) => m.pos),
      words.matches.map((m) => m.word),
      words.matches.map((m) => m.weight),
      words.count,
      after?.rank ?? null,
      after?.name ?? null,
      after?.id ?? null,
      ...codes,
      ...wordPath,
    ]),
  );
  return rows;
}
