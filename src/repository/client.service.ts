// The central repository's reads for one practice: the client and contact lists and searches, a client, a contact. The caller
// (a source token's practice, or later a signed-in user's) is only a practice id here.
//
// Paging is by keyset, never by offset, so clients arriving between two pages neither repeat nor push others
// out of sight. The cursor is opaque to callers: base64url of JSON holding the last row's sort key — (name, id)
// for the list, (rank, name, id) for a search (search.sql.ts), plus the search text itself, so a cursor is only
// accepted with the search it was made for.
import type { Queryable } from '../db/pool.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import {
  CLIENT_COLUMNS,
  CONTACT_COLUMNS,
  selectClient,
  selectClientsByName,
  selectContact,
  selectContactsByName,
  selectMergedInto,
  type ClientRow,
  type ContactRow,
} from './clients.sql.ts';
import { CLIENT_TARGET, CONTACT_TARGET, searchRanked, selectQueryWords, useSearchSettings } from './search.sql.ts';
import type { ClientDetail, ClientItem, ClientPage, ContactDetail, ContactItem, ContactPage } from '../contract/clients.contract.ts';

export interface ListQuery {
  /** Blank counts as absent: the plain list. */
  search: string | null;
  limit: number;
  cursor: string | null;
}

/** A page's last sort key: (name, id) of the list, or (rank, name, id) of the search `q`. */
type Cursor = { q: null; n: string; i: string } | { q: string; r: number; n: string; i: string };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** The cursor's keyset, or null when it is not one this service made for this same search. */
function decodeCursor(text: string, search: string | null): Cursor | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (c['q'] !== search || typeof c['n'] !== 'string' || typeof c['i'] !== 'string' || !UUID_RE.test(c['i'])) return null;
  if (search === null) return { q: null, n: c['n'], i: c['i'] };
  const rank = c['r'];
  return typeof rank === 'number' && Number.isFinite(rank) ? { q: search, r: rank, n: c['n'], i: c['i'] } : null;
}

function clientItem(row: ClientRow): ClientItem {
  return {
    id: row.id,
    clientReference: row.client_reference,
    name: row.name,
    clientType: row.client_type,
    companyNumber: row.company_number,
    vatNumber: row.vat_number,
    email: row.email,
    phone: row.phone,
    website: row.website,
    createdAt: row.created_at.toISOString(),
    sources: row.sources,
  };
}

function contactItem(row: ContactRow): ContactItem {
  return {
    id: row.id,
    title: row.title,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    createdAt: row.created_at.toISOString(),
    sources: row.sources,
  };
}

/** The first `limit` rows, and a cursor after them when the query found more (it asks for one row extra). */
function toPage<T extends { id: string }>(rows: T[], limit: number, keyOf: (last: T) => Cursor): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

type Listed<Row> = Outcome<{ page: Row[]; nextCursor: string | null }>;

/**
 * A page of a list (by name) or of a search (best first), with the cursor rules above. `byName` and `target` are
 * the list's and the search's statements; `nameOf` the row's sort name.
 */
async function listPage<Row extends { id: string; sort_name: string }>(
  tx: Queryable,
  practiceId: string,
  query: ListQuery,
  byName: (after: { name: string; id: string } | null, limit: number) => Promise<Row[]>,
  search: { target: typeof CLIENT_TARGET; columns: string },
): Promise<Listed<Row>> {
  const text = query.search?.trim() || null;
  const cursor = query.cursor === null ? null : decodeCursor(query.cursor, text);
  if (query.cursor !== null && cursor === null) {
    return fail('invalid', 'The cursor is not valid for this search; start again from the first page (without a cursor).');
  }
  if (text === null) {
    const rows = await byName(cursor && { name: cursor.n, id: cursor.i }, query.limit + 1);
    return success(toPage(rows, query.limit, (last) => ({ q: null, n: last.sort_name, i: last.id })));
  }
  const after = cursor && cursor.q !== null ? { rank: cursor.r, name: cursor.n, id: cursor.i } : null;
  await useSearchSettings(tx);
  const words = await selectQueryWords(tx, practiceId, text);
  const rows = await searchRanked<Row>(tx, search.target, search.columns, practiceId, text, words, after, query.limit + 1);
  return success(toPage(rows, query.limit, (last) => ({ q: text, r: last.rank, n: last.sort_name, i: last.id })));
}

/** `tx`: a transaction (the search settings are set for it alone). */
export async function listClients(tx: Queryable, practiceId: string, query: ListQuery): Promise<Outcome<ClientPage>> {
  const listed = await listPage<ClientRow & { sort_name: string }>(
    tx,
    practiceId,
    query,
    async (after, limit) => (await selectClientsByName(tx, practiceId, after, limit)).map((r) => ({ ...r, sort_name: r.name })),
    { target: CLIENT_TARGET, columns: CLIENT_COLUMNS },
  );
  return listed.ok ? success({ clients: listed.value.page.map(clientItem), nextCursor: listed.value.nextCursor }) : listed;
}

/** `tx`: a transaction (the search settings are set for it alone). */
export async function listContacts(tx: Queryable, practiceId: string, query: ListQuery): Promise<Outcome<ContactPage>> {
  const listed = await listPage<ContactRow & { sort_name: string }>(
    tx,
    practiceId,
    query,
    (after, limit) => selectContactsByName(tx, practiceId, after, limit),
    { target: CONTACT_TARGET, columns: CONTACT_COLUMNS },
  );
  return listed.ok ? success({ contacts: listed.value.page.map(contactItem), nextCursor: listed.value.nextCursor }) : listed;
}

/** An unknown id's failure: a merged-away one names the record it was merged into. */
async function notFound(db: Queryable, practiceId: string, recordType: 'clients' | 'contacts', id: string): Promise<Outcome<never>> {
  const noun = recordType === 'clients' ? 'client' : 'contact';
  const mergedInto = await selectMergedInto(db, practiceId, recordType, id);
  return mergedInto
    ? fail('not_found', `The ${noun} ${id} was merged into ${mergedInto}.`, { code: 'record_merged', mergedInto })
    : fail('not_found', `There is no ${noun} ${id}.`);
}

export async function getClient(db: Queryable, practiceId: string, id: string): Promise<Outcome<ClientDetail>> {
  const row = await selectClient(db, practiceId, id);
  if (!row) return notFound(db, practiceId, 'clients', id);
  return success({ ...clientItem(row), utr: row.utr, contacts: row.contacts, addresses: row.addresses, actions: row.actions });
}

export async function getContact(db: Queryable, practiceId: string, id: string): Promise<Outcome<ContactDetail>> {
  const row = await selectContact(db, practiceId, id);
  if (!row) return notFound(db, practiceId, 'contacts', id);
  return success({
    id: row.id,
    title: row.title,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    dateOfBirth: row.date_of_birth,
    niNumber: row.ni_number,
    createdAt: row.created_at.toISOString(),
    sources: row.sources,
    clients: row.clients,
    addresses: row.addresses,
    actions: row.actions,
  });
}
