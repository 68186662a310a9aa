// Two products' exports of one practice that open a review item of each kind (SPEC §9), imported through the HTTP
// API, and a signed-in practice user to decide them: shared by the review tests.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import type { MatchItem, MatchPage } from '../../src/contract/matches.contract.ts';
import { createUser } from '../../src/users/user.service.ts';
import { json } from './json.ts';
import { createSources, sourceClient, waitForCompletion, type TestApp } from './test-app.ts';

export type Batch = { type: 'clients' | 'contacts' | 'addresses'; records: object[] };

export async function runImport(t: TestApp, token: string, batches: Batch[]): Promise<ImportView> {
  const c = sourceClient(t.app, token);
  const started = await c.startImport();
  assert.equal(started.statusCode, 201, started.body);
  const id = json<ImportView>(started).id;
  for (const [i, body] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, body)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  return waitForCompletion(t.app, token, id);
}

const client = (ref: string, clientReference: string, name: string, extra: object = {}) => ({
  ref,
  clientReference,
  name,
  clientType: 'limited_company',
  ...extra,
});
const person = (ref: string, firstName: string, lastName: string, extra: object, clients: { ref: string; role: string }[] = []) => ({
  ref,
  firstName,
  lastName,
  ...extra,
  clients,
});
const address = (ref: string, owner: string, line1: string, postcode: string) => ({
  ref,
  owner: { type: 'client', ref: owner },
  kind: 'registered',
  line1,
  town: 'Leeds',
  postcode,
  from: '2019-04-01',
});

export const MANAGER: Batch[] = [
  {
    type: 'clients',
    records: [
      client('M-1', 'ACME01', 'Acme Trading Ltd', { companyNumber: '01234567', utr: '8123456780' }),
      client('M-3', 'PEAK01', 'Peak Dental Care Ltd', { email: 'hello@peakdental.example', phone: '0113 496 0000' }),
      client('M-4', 'CONF01', 'Conflicted Ltd', { companyNumber: '05555555', utr: '6123561509' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      person('MP-1', 'Jane', 'Smith', { email: 'jane@acme.example' }, [{ ref: 'M-1', role: 'director' }]),
      person('MP-2', 'Bob', 'Jones', { email: 'bob@peakdental.example' }, [{ ref: 'M-3', role: 'director' }]),
      person('MP-6', 'Dan', 'Green', { email: 'dan@green.example', dateOfBirth: '1970-01-01' }, [{ ref: 'M-4', role: 'director' }]),
    ],
  },
  { type: 'addresses', records: [address('MA-1', 'M-1', '1 Park Row', 'LS1 5HD'), address('MA-3', 'M-3', '5 High St', 'LS2 7AB')] },
];

export const BOOKS: Batch[] = [
  {
    type: 'clients',
    records: [
      // joins M-1 by company number
      client('B-1', 'A001', 'Acme Trading Limited', { companyNumber: '1234567' }),
      // the same folded name and email as M-3, no identifier: a possible match
      client('B-3', 'A003', 'Peak Dental Care Limited', { email: 'HELLO@peakdental.example', website: 'https://peak.example' }),
      // M-4's company number, another UTR: a conflict
      client('B-4', 'A004', 'Conflicted Ltd', { companyNumber: '05555555', utr: '1123666238' }),
      // M-1's UTR, but M-1 already has a BrightBooks record: same_source
      client('B-5', 'A005', 'Acme Trading (Scotland) Ltd', { utr: '8123456780' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      person('BP-1', 'Jane', 'Smith', { email: 'jane@acme.example' }, [{ ref: 'B-1', role: 'shareholder' }]),
      // the same person as MP-2: one contact, director of both Peak Dental clients
      person('BP-3', 'Bob', 'Jones', { email: 'bob@peakdental.example' }, [{ ref: 'B-3', role: 'director' }]),
      // one source's two refs of one person: same_source
      person('BP-4', 'Carol', 'White', { dateOfBirth: '1980-05-05' }, [{ ref: 'B-4', role: 'secretary' }]),
      person('BP-5', 'Carol', 'White', { dateOfBirth: '1980-05-05', phone: '0113 496 0123' }, [{ ref: 'B-3', role: 'secretary' }]),
      // MP-6's name and email, another date of birth: a conflict
      person('BP-6', 'Dan', 'Green', { email: 'dan@green.example', dateOfBirth: '1971-02-02' }, [{ ref: 'B-4', role: 'director' }]),
    ],
  },
  // BA-3 equals MA-3 (it joins M-3's entry when the clients are merged); BA-4 is B-3's own
  { type: 'addresses', records: [address('BA-3', 'B-3', '5 High St', 'LS2 7AB'), address('BA-4', 'B-3', '7 Low Rd', 'LS3 1AA')] },
];

export interface ReviewPractice {
  practiceId: string;
  tokens: { brightmanager: string; brightbooks: string };
  /** a signed-in user: the cookie, and with the CSRF header for writes */
  read: Record<string, string>;
  write: Record<string, string>;
}

/** A practice with both products' tokens and a signed-in user, both exports imported (by default the two above). */
export async function reviewPractice(t: TestApp, name: string, manager = MANAGER, books = BOOKS): Promise<ReviewPractice> {
  const { practiceId, tokens } = await createSources(t.db, name);
  const email = `reviewer@${practiceId.slice(0, 8)}.example`;
  assert.ok((await createUser(t.db, practiceId, email, 'correct horse battery')).ok);
  const signIn = await t.app.inject({ method: 'POST', url: '/v1/session', payload: { email, password: 'correct horse battery' } });
  assert.equal(signIn.statusCode, 200, signIn.body);
  const cookie = [signIn.headers['set-cookie']]
    .flat()
    .find((v) => v?.startsWith('bc_session='))!
    .split(';')[0]!;
  const practice = {
    practiceId,
    tokens: tokens as ReviewPractice['tokens'],
    read: { cookie },
    write: { cookie, 'x-csrf-token': signIn.json<{ csrfToken: string }>().csrfToken },
  };
  for (const [token, batches] of [
    [practice.tokens.brightmanager, manager],
    [practice.tokens.brightbooks, books],
  ] as const) {
    const done = await runImport(t, token, batches);
    assert.equal(done.counts.clients.failed + done.counts.contacts.failed + done.counts.addresses.failed, 0, JSON.stringify(done.counts));
  }
  return practice;
}

/** Undoes a completed import with its source's token and waits until it is undone. */
export async function undoImport(t: TestApp, token: string, id: string): Promise<void> {
  const c = sourceClient(t.app, token);
  assert.equal((await c.post(`/v1/imports/${id}/undo`)).statusCode, 202);
  const deadline = Date.now() + 30_000;
  while (json<ImportView>(await c.get(`/v1/imports/${id}`)).status !== 'undone') {
    assert.ok(Date.now() < deadline, `import ${id} was not undone`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const userGet = (t: TestApp, p: ReviewPractice, url: string): Promise<LightMyRequestResponse> =>
  t.app.inject({ method: 'GET', url, headers: p.read });
export const userPost = (t: TestApp, p: ReviewPractice, url: string, payload: object = {}): Promise<LightMyRequestResponse> =>
  t.app.inject({ method: 'POST', url, headers: p.write, payload });

export async function matches(t: TestApp, p: ReviewPractice, status: 'open' | 'closed' = 'open'): Promise<MatchItem[]> {
  const res = await userGet(t, p, `/v1/matches?status=${status}&limit=200`);
  assert.equal(res.statusCode, 200, res.body);
  return json<MatchPage>(res).matches;
}

/** The source refs of each candidate of an item, e.g. ['M-3', 'B-3'] for the possible match of the two exports. */
export const refsOf = (item: MatchItem): string[][] => item.candidates.map((c) => c.sources.map((s) => s.ref).sort());

/** Candidates' refs in an order of their own: records are oldest first only to the millisecond of their time-ordered
 * ids, so two records one batch created together (a same-source pair) come in either order. */
const candidatesKey = (refs: string[][]): string => JSON.stringify(refs.map((r) => JSON.stringify([...r].sort())).sort());

/** The item whose candidates hold exactly these refs, in any order. */
export function itemFor(items: MatchItem[], ...refs: string[][]): MatchItem {
  const key = candidatesKey(refs);
  const found = items.find((i) => candidatesKey(refsOf(i)) === key);
  assert.ok(found, `no item for ${key} among ${JSON.stringify(items.map(refsOf))}`);
  return found;
}
