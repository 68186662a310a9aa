// Reads of the central repository (SPEC §3: GET /v1/clients, /v1/clients/{id}, /v1/contacts/{id}).
// Every statement is scoped to a practice, so another practice's id simply finds nothing. Each answer is one
// statement: the nested lists (source refs, contacts with their roles, address history) are aggregated with
// json_agg in subqueries, already in their API shape (camelCase keys, dates as YYYY-MM-DD).
import type { AddressItem, SourceRef } from '../contract/api-types.ts';
import type { Queryable } from '../db/pool.ts';

export interface ClientRow {
  id: string;
  client_reference: string;
  name: string;
  client_type: string;
  company_number: string | null;
  vat_number: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  created_at: Date;
  /** the source identities that created or matched this central record */
  sources: SourceRef[];
}

export interface ClientDetailRow extends ClientRow {
  utr: string | null;
  contacts: {
    id: string;
    title: string | null;
    firstName: string | null;
    lastName: string;
    email: string | null;
    phone: string | null;
    roles: string[];
  }[];
  addresses: AddressItem[];
}

export interface ContactDetailRow {
  id: string;
  title: string | null;
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  date_of_birth: string | null;
  created_at: Date;
  sources: SourceRef[];
  clients: { id: string; clientReference: string; name: string; roles: string[] }[];
  addresses: AddressItem[];
}

/** A client row of a search, with the rank it was ordered by (see searchClients). */
export interface RankedClientRow extends ClientRow {
  rank: number;
}

// `x` is the central record (a clients or contacts row) the subquery belongs to.
const sourcesOf = (recordType: 'clients' | 'contacts') => `
  (SELECT coalesce(json_agg(json_build_object('source', r.source, 'ref', r.ref) ORDER BY r.source, r.ref), '[]')
     FROM source_records r
    WHERE r.central_id = x.id AND r.practice_id = x.practice_id AND r.record_type = '${recordType}')`;

// An address history reads newest first: the current addresses (no `to`), then the past ones, each by `from`.
const addressHistoryOf = (owner: 'client_id' | 'contact_id') => `
  (SELECT coalesce(json_agg(json_build_object(
            'id', a.id, 'kind', a.kind, 'line1', a.line1, 'line2', a.line2, 'town', a.town, 'county', a.county,
            'postcode', a.postcode, 'country', a.country, 'from', a.valid_from, 'to', a.valid_to)
          ORDER BY a.valid_to IS NULL DESC, a.valid_from DESC, a.valid_to DESC, a.id), '[]')
     FROM addresses a
    WHERE a.${owner} = x.id AND a.practice_id = x.practice_id)`;

const CLIENT_COLUMNS = `x.id, x.client_reference, x.name, x.client_type, x.company_number, x.vat_number, x.email, x.phone,
  x.website, x.created_at, ${sourcesOf('clients')} AS sources`;

/**
 * A page of the practice's clients by name, then id (the index clients_practice_name), after the keyset `after`.
 * The source refs are aggregated for the page's rows only, after the LIMIT.
 */
export async function selectClientsByName(
  db: Queryable,
  practiceId: string,
  after: { name: string; id: string } | null,
  limit: number,
): Promise<ClientRow[]> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS}
       FROM (SELECT c.* FROM clients c
              WHERE c.practice_id = $1 AND ($2::text IS NULL OR (c.name, c.id) > ($2, $3::uuid))
              ORDER BY c.name, c.id LIMIT $4) x
      ORDER BY x.name, x.id`,
    [practiceId, after?.name ?? null, after?.id ?? null, limit],
  );
  return rows;
}

/**
 * pg_trgm's `<%`/`%>` operators compare word similarity with this threshold (the default, 0.6, misses a typo in a
 * short word: "acne trading" is 0.625 from "acme trading ltd", "obrien" 0.57 from "o'brien plumbing"). It is a
 * setting, so it is set for the search's own transaction only.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

export async function useSearchThreshold(tx: Queryable): Promise<void> {
  await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(WORD_SIMILARITY_THRESHOLD)]);
}

/** `value` as a LIKE pattern that matches the strings starting with it (its %, _ and \ taken literally). */
const startsWith = (value: string) => `${value.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The practice's clients matching `query`, best first, after the keyset `after` (rank desc, name, id).
 *
 * A client matches when the query is like a run of words of its `search` text (name, client reference and
 * company number, lower-cased and without accents; see search_text in 0001): trigram word similarity at least
 * WORD_SIMILARITY_THRESHOLD, which tolerates accents, case, punctuation, word order and small typos. It also
 * matches when its client reference (case-insensitive) or company number (spaces ignored) equals the query or
 * starts with it. The three tests are one BitmapOr over three indexes (0002), each led by practice_id.
 *
 * rank = word similarity (0…1) + 3 for an exact reference or company number, + 1 for a prefix of one: an exact
 * code comes first, and a prefix of a code ranks with a name containing the query word for word. Run it in a
 * transaction after useSearchThreshold.
 */
export async function searchClients(
  db: Queryable,
  practiceId: string,
  query: string,
  after: { rank: number; name: string; id: string } | null,
  limit: number,
): Promise<RankedClientRow[]> {
  // Company numbers are stored upper-case without spaces (intake's normalisation); the query is made alike.
  const number = query.replace(/\s+/g, '').toUpperCase();
  const { rows } = await db.query<RankedClientRow>(
    `SELECT ${CLIENT_COLUMNS}, x.rank
       FROM (SELECT * FROM (SELECT c.*,
                                   (word_similarity(search_text($2), c.search) + CASE
                                      WHEN upper(c.client_reference) = upper($2) OR c.company_number = $4 THEN 3
                                      WHEN upper(c.client_reference) LIKE upper($3) OR c.company_number LIKE $5 THEN 1
                                      ELSE 0 END)::float8 AS rank
                              FROM clients c
                             WHERE c.practice_id = $1
                               AND (c.search %> search_text($2) OR upper(c.client_reference) LIKE upper($3) OR c.company_number LIKE $5)) hit
              WHERE $6::float8 IS NULL OR hit.rank < $6 OR (hit.rank = $6 AND (hit.name, hit.id) > ($7, $8::uuid))
              ORDER BY hit.rank DESC, hit.name, hit.id LIMIT $9) x
      ORDER BY x.rank DESC, x.name, x.id`,
    [practiceId, query, startsWith(query), number, startsWith(number), after?.rank ?? null, after?.name ?? null, after?.id ?? null, limit],
  );
  return rows;
}

export async function selectClient(db: Queryable, practiceId: string, id: string): Promise<ClientDetailRow | null> {
  const { rows } = await db.query<ClientDetailRow>(
    `SELECT ${CLIENT_COLUMNS}, x.utr,
            (SELECT coalesce(json_agg(json_build_object(
                      'id', p.id, 'title', p.title, 'firstName', p.first_name, 'lastName', p.last_name,
                      'email', p.email, 'phone', p.phone, 'roles', l.roles)
                    ORDER BY p.last_name, p.first_name, p.id), '[]')
               FROM (SELECT cc.contact_id, array_agg(cc.role ORDER BY cc.role) AS roles
                       FROM client_contacts cc WHERE cc.client_id = x.id AND cc.practice_id = x.practice_id
                      GROUP BY cc.contact_id) l
               JOIN contacts p ON p.id = l.contact_id) AS contacts,
            ${addressHistoryOf('client_id')} AS addresses
       FROM clients x
      WHERE x.practice_id = $1 AND x.id = $2`,
    [practiceId, id],
  );
  return rows[0] ?? null;
}

export async function selectContact(db: Queryable, practiceId: string, id: string): Promise<ContactDetailRow | null> {
  const { rows } = await db.query<ContactDetailRow>(
    `SELECT x.id, x.title, x.first_name, x.last_name, x.email, x.phone, x.date_of_birth, x.created_at,
            ${sourcesOf('contacts')} AS sources,
            (SELECT coalesce(json_agg(json_build_object(
                      'id', c.id, 'clientReference', c.client_reference, 'name', c.name, 'roles', l.roles)
                    ORDER BY c.name, c.id), '[]')
               FROM (SELECT cc.client_id, array_agg(cc.role ORDER BY cc.role) AS roles
                       FROM client_contacts cc WHERE cc.contact_id = x.id AND cc.practice_id = x.practice_id
                      GROUP BY cc.client_id) l
               JOIN clients c ON c.id = l.client_id) AS clients,
            ${addressHistoryOf('contact_id')} AS addresses
       FROM contacts x
      WHERE x.practice_id = $1 AND x.id = $2`,
    [practiceId, id],
  );
  return rows[0] ?? null;
}
