// Reads of the central repository (SPEC §3: GET /v1/clients, /v1/clients/{id}, /v1/contacts, /v1/contacts/{id});
// the searches are in search.sql.ts.
// Every statement is scoped to a practice, so another practice's id simply finds nothing. Each answer is one
// statement: the nested lists (source refs, contacts with their roles, address history) are aggregated with
// json_agg in subqueries, already in their API shape (camelCase keys, dates as YYYY-MM-DD).
import type { AddressItem, RecordAction, SourceRef } from '../contract/clients.contract.ts';
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
  actions: RecordAction[];
}

export interface ContactDetailRow {
  id: string;
  title: string | null;
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  date_of_birth: string | null;
  ni_number: string | null;
  created_at: Date;
  sources: SourceRef[];
  clients: { id: string; clientReference: string; name: string; roles: string[] }[];
  addresses: AddressItem[];
  actions: RecordAction[];
}

// `x` is the central record (a clients or contacts row) the subquery belongs to.
export const sourcesOf = (recordType: 'clients' | 'contacts') => `
  (SELECT coalesce(json_agg(json_build_object('source', r.source, 'ref', r.ref, 'importId', r.import_id,
            'matchedBy', r.matched_by, 'matchedAt', r.matched_at, 'values', r."values") ORDER BY r.source, r.ref), '[]')
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

// Merges, keep-aparts and splits of the record (match-review.service.ts), oldest first; every one is a user's.
const actionsOf = (recordType: 'clients' | 'contacts') => `
  (SELECT coalesce(json_agg(json_build_object('action', a.action, 'by', json_build_object('kind', 'user', 'email', a.actor),
            'at', a.at, 'match', a.detail->>'match', 'other', a.detail->>'other', 'source', a.detail->>'source',
            'ref', a.detail->>'ref') ORDER BY a.at, a.id), '[]')
     FROM record_actions a
    WHERE a.practice_id = x.practice_id AND a.central_id = x.id AND a.record_type = '${recordType}')`;

/** The select list of a client in a list or a search, over `x`. */
export const CLIENT_COLUMNS = `x.id, x.client_reference, x.name, x.client_type, x.company_number, x.vat_number, x.email, x.phone,
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

export interface ContactRow {
  id: string;
  title: string | null;
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  created_at: Date;
  sources: SourceRef[];
}

/** The select list of a contact in a list or a search, over `x`. */
export const CONTACT_COLUMNS = `x.id, x.title, x.first_name, x.last_name, x.email, x.phone, x.created_at, ${sourcesOf('contacts')} AS sources`;

/** Contacts are listed by last name, then first name (the index contacts_practice_sort_name has this expression). */
export const CONTACT_SORT_NAME = `x.last_name || ' ' || coalesce(x.first_name, '')`;

/** A page of the practice's contacts by last name, first name, then id (contacts_practice_sort_name), after `after`. */
export async function selectContactsByName(
  db: Queryable,
  practiceId: string,
  after: { name: string; id: string } | null,
  limit: number,
): Promise<(ContactRow & { sort_name: string })[]> {
  const { rows } = await db.query<ContactRow & { sort_name: string }>(
    `SELECT ${CONTACT_COLUMNS}, x.sort_name
       FROM (SELECT x.*, ${CONTACT_SORT_NAME} AS sort_name FROM contacts x
              WHERE x.practice_id = $1 AND ($2::text IS NULL OR (${CONTACT_SORT_NAME}, x.id) > ($2, $3::uuid))
              ORDER BY ${CONTACT_SORT_NAME}, x.id LIMIT $4) x
      ORDER BY x.sort_name, x.id`,
    [practiceId, after?.name ?? null, after?.id ?? null, limit],
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
               FROM (SELECT cc.contact_id, array_agg(DISTINCT cc.role ORDER BY cc.role) AS roles
                       FROM client_contacts cc WHERE cc.client_id = x.id AND cc.practice_id = x.practice_id
                      GROUP BY cc.contact_id) l
               JOIN contacts p ON p.id = l.contact_id) AS contacts,
            ${addressHistoryOf('client_id')} AS addresses, ${actionsOf('clients')} AS actions
       FROM clients x
      WHERE x.practice_id = $1 AND x.id = $2`,
    [practiceId, id],
  );
  return rows[0] ?? null;
}

export async function selectContact(db: Queryable, practiceId: string, id: string): Promise<ContactDetailRow | null> {
  const { rows } = await db.query<ContactDetailRow>(
    `SELECT x.id, x.title, x.first_name, x.last_name, x.email, x.phone, x.date_of_birth, x.ni_number, x.created_at,
            ${sourcesOf('contacts')} AS sources,
            (SELECT coalesce(json_agg(json_build_object(
                      'id', c.id, 'clientReference', c.client_reference, 'name', c.name, 'roles', l.roles)
                    ORDER BY c.name, c.id), '[]')
               FROM (SELECT cc.client_id, array_agg(DISTINCT cc.role ORDER BY cc.role) AS roles
                       FROM client_contacts cc WHERE cc.contact_id = x.id AND cc.practice_id = x.practice_id
                      GROUP BY cc.client_id) l
               JOIN clients c ON c.id = l.client_id) AS clients,
            ${addressHistoryOf('contact_id')} AS addresses, ${actionsOf('contacts')} AS actions
       FROM contacts x
      WHERE x.practice_id = $1 AND x.id = $2`,
    [practiceId, id],
  );
  return rows[0] ?? null;
}

/** The record a merged-away client or contact id was merged into (SPEC §9: its GET answers 404 with `mergedInto`). */
export async function selectMergedInto(
  db: Queryable,
  practiceId: string,
  recordType: 'clients' | 'contacts',
  id: string,
): Promise<string | null> {
  const { rows } = await db.query<{ merged_into: string }>(
    'SELECT merged_into FROM merged_records WHERE practice_id = $1 AND id = $2 AND record_type = $3',
    [practiceId, id, recordType],
  );
  return rows[0]?.merged_into ?? null;
}
