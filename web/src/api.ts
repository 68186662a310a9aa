// The UI's only way to the server: the same /v1 API the source products use, with the session cookie and, on
// state-changing requests, the session's CSRF token. Response shapes are those of SPEC §3 and §5.
import type {
  AddressItem,
  ClientDetail,
  ClientItem,
  ClientPage,
  ContactDetail,
  ContactItem,
  ContactPage,
} from '../../src/contract/clients.contract.ts';
import type { Activation, ActivationSource } from '../../src/contract/activation.contract.ts';
import type { ImportList, ImportView, RefLists } from '../../src/contract/imports.contract.ts';
import type { ChangedRecords, MatchPage } from '../../src/contract/matches.contract.ts';
import type { FailureGroupView, FailureRow } from '../../src/contract/failures.contract.ts';
import type { Banner, SessionAnswer, User } from '../../src/contract/session.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import type { UndoPreview } from '../../src/contract/undo.contract.ts';

// The response shapes come from the server's contract; the UI's names for them:
import type { RecordType } from '../../src/contract/records.ts';

export type { RecordType };
export type { Actor, ImportStatus, TypeCounts } from '../../src/contract/imports.contract.ts';
export type { FailureGroupView, FailureRow };
export type { RecordAction, SourceRef } from '../../src/contract/clients.contract.ts';
export type { ChangedRecords, MatchCandidate, MatchEvidence, MatchItem } from '../../src/contract/matches.contract.ts';
export type { User, UndoPreview };
export type { Activation, ActivationSource };
export type Import = ImportView;
export type Address = AddressItem;
export type ClientSummary = ClientItem;
export type Client = ClientDetail;
export type Contact = ContactDetail;
export type ContactSummary = ContactItem;

/** An RFC 9457 problem the server answered with. */
export class ApiError extends Error {
  status: number;
  /** The problem's stable `code`, on refusals a client acts on (e.g. nothing_to_retry). */
  code: string | null;
  /** record_merged: the id of the client or contact the asked-for one was merged into. */
  mergedInto: string | null;
  constructor(status: number, detail: string, code: string | null = null, mergedInto: string | null = null) {
    super(detail);
    this.status = status;
    this.code = code;
    this.mergedInto = mergedInto;
  }
}

let csrfToken: string | null = null;
const signedOutListeners = new Set<() => void>();

/** Called when the server no longer knows the session (expired, signed out elsewhere). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => null)) as (T & Partial<Problem>) | null;
  if (!res.ok) {
    if (res.status === 401 && path !== '/v1/session') for (const listener of signedOutListeners) listener();
    throw new ApiError(
      res.status,
      payload?.detail ?? `The server answered ${res.status}.`,
      payload?.code ?? null,
      payload?.mergedInto ?? null,
    );
  }
  return payload as T;
}

async function remember(answer: Promise<SessionAnswer>): Promise<User> {
  const session = await answer;
  csrfToken = session.csrfToken;
  return session.user;
}

const query = (params: Record<string, string | number | boolean | null | undefined>) => {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') q.set(key, String(value));
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** The filters of the open failures (GET /v1/failures); empty means all. */
export interface FailureFilter {
  source: string;
  type: RecordType | '';
  code: string;
}

/** The open failures as a CSV download, with exactly these filters. */
/** The open failures file of what the filter shows: CSV, or an Excel sheet. */
export const failuresFileUrl = (filter: FailureFilter, format?: 'xlsx') =>
  `/v1/failures${query({ ...filter, ...(format ? { format } : {}) })}`;

export const api = {
  currentUser: async (): Promise<User | null> => {
    try {
      return await remember(request<SessionAnswer>('GET', '/v1/session'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  signIn: (email: string, password: string) => remember(request<SessionAnswer>('POST', '/v1/session', { email, password })),
  signOut: async () => {
    await request<void>('DELETE', '/v1/session');
    csrfToken = null;
  },
  banner: () => request<Banner>('GET', '/v1/banner'),
  activation: () => request<Activation>('GET', '/v1/activation'),
  activate: () => request<Activation>('POST', '/v1/activation'),
  dismiss: (importId: string) => request<void>('POST', '/v1/banner/dismissals', { importId }),
  imports: async (limit = 50) => (await request<ImportList>('GET', `/v1/imports${query({ limit })}`)).imports,
  import: (id: string) => request<Import>('GET', `/v1/imports/${encodeURIComponent(id)}`),
  failedRefs: (id: string) => request<RefLists>('GET', `/v1/imports/${encodeURIComponent(id)}/failed-refs`),
  retry: (id: string) => request<Import>('POST', `/v1/imports/${encodeURIComponent(id)}/retry`),
  cancel: (id: string) => request<Import>('POST', `/v1/imports/${encodeURIComponent(id)}/cancel`),
  undoPreview: (id: string) => request<UndoPreview>('GET', `/v1/imports/${encodeURIComponent(id)}/undo`),
  undo: (id: string) => request<Import>('POST', `/v1/imports/${encodeURIComponent(id)}/undo`),
  failures: (filter: FailureFilter, limit: number) =>
    request<FailureRow[]>('GET', `/v1/failures${query({ ...filter, format: 'json', limit })}`),
  failureGroups: async (filter: FailureFilter) =>
    (await request<{ groups: FailureGroupView[] }>('GET', `/v1/failures/groups${query({ ...filter })}`)).groups,
  clients: (search: string, cursor: string | null, limit = 20) =>
    request<ClientPage>('GET', `/v1/clients${query({ search: search.trim(), cursor, limit })}`),
  client: (id: string) => request<Client>('GET', `/v1/clients/${encodeURIComponent(id)}`),
  contacts: (search: string, cursor: string | null, limit = 20) =>
    request<ContactPage>('GET', `/v1/contacts${query({ search: search.trim(), cursor, limit })}`),
  contact: (id: string) => request<Contact>('GET', `/v1/contacts/${encodeURIComponent(id)}`),
  matches: (status: 'open' | 'closed', cursor: string | null, limit = 20) =>
    request<MatchPage>('GET', `/v1/matches${query({ status, cursor, limit })}`),
  merge: (id: string) => request<ChangedRecords>('POST', `/v1/matches/${encodeURIComponent(id)}/merge`, {}),
  keepApart: (id: string) => request<ChangedRecords>('POST', `/v1/matches/${encodeURIComponent(id)}/keep-apart`, {}),
  /** Gives the source record (source, ref) of a client or contact its own central record again. */
  split: (type: 'clients' | 'contacts', id: string, source: string, ref: string) =>
    request<ChangedRecords>('POST', `/v1/${type}/${encodeURIComponent(id)}/split`, { source, ref }),
  /** The live feed of an import: `progress` on every change, `done` at the end (then the stream closes). */
  events: (id: string) => new EventSource(`/v1/imports/${encodeURIComponent(id)}/events`),
};
