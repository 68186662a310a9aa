// Merge, keep-apart and split (SPEC §9) through the HTTP API, on the two exports of test/helpers/review.ts: what
// moves, what a user sees after (detail, 404 with mergedInto, actions, list and search), repeats answering the
// same, other decisions refused, the right callers only, and re-imports that neither reopen nor rejoin anything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientDetail, ClientPage, ContactDetail } from '../../src/contract/clients.contract.ts';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import type { ChangedRecords, MatchItem } from '../../src/contract/matches.contract.ts';
import type { Problem } from '../../src/contract/problem.contract.ts';
import { createSourceToken } from '../../src/practices/practice.service.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { BOOKS, itemFor, matches, reviewPractice, runImport, userGet, userPost, type ReviewPractice } from '../helpers/review.ts';
import { sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let p: ReviewPractice;
let email: string;
before(async () => {
  t = await startTestApp({ sessions: true });
  p = await reviewPractice(t, 'Decisions Practice');
  email = `reviewer@${p.practiceId.slice(0, 8)}.example`;
});
after(async () => {
  await t?.close();
});

const decided = async (url: string, payload: object = {}): Promise<ChangedRecords> => {
  const res = await userPost(t, p, url, payload);
  assert.equal(res.statusCode, 200, res.body);
  return json<ChangedRecords>(res);
};
const clientCount = async () => json<ClientPage>(await userGet(t, p, '/v1/clients?limit=200')).clients.length;
const searched = async (text: string) =>
  json<ClientPage>(await userGet(t, p, `/v1/clients?search=${encodeURIComponent(text)}`)).clients.map((c) => c.clientReference);
const sourcesOf = (record: ClientDetail | ContactDetail) => record.sources.map((s) => [s.source, s.ref, s.matchedBy, s.values]);
const rolesOf = (client: ClientDetail) => client.contacts.map((c) => [c.firstName, c.roles]);
const linesOf = (record: ClientDetail) => record.addresses.map((a) => a.line1).sort();

let survivor: ClientDetail;
let mergedAway: string;

test('merge: the older client survives with both links, roles once, equal addresses joined; the other id answers 404 with mergedInto', async () => {
  const before = await clientCount();
  const peak = itemFor(await matches(t, p), ['M-3'], ['B-3']);
  mergedAway = peak.records[1]!;
  const answer = await decided(`/v1/matches/${peak.id}/merge`);
  assert.deepEqual([answer.match?.status, answer.match?.resolution, answer.match?.closedBy], ['closed', 'merged', { kind: 'user', email }]);
  assert.equal(answer.clients.length, 1);
  survivor = answer.clients[0]!;
  assert.equal(survivor.id, peak.records[0]);
  assert.deepEqual(
    [survivor.name, survivor.clientReference, survivor.email],
    ['Peak Dental Care Ltd', 'PEAK01', 'hello@peakdental.example'],
  );
  assert.equal(survivor.website, 'https://peak.example', 'an empty field filled by the merged record');
  assert.deepEqual(sourcesOf(survivor), [
    ['brightbooks', 'B-3', 'review', { clientReference: 'A003', name: 'Peak Dental Care Limited', email: 'HELLO@peakdental.example' }],
    ['brightmanager', 'M-3', 'new', null],
  ]);
  assert.deepEqual(rolesOf(survivor), [
    ['Bob', ['director']],
    ['Carol', ['secretary']],
  ]);
  assert.deepEqual(linesOf(survivor), ['5 High St', '7 Low Rd']);
  assert.deepEqual(
    survivor.actions.map((a) => [a.action, a.by, a.match, a.other]),
    [['merge', { kind: 'user', email }, peak.id, mergedAway]],
  );
  const gone = assertProblem(await userGet(t, p, `/v1/clients/${mergedAway}`), 404);
  assert.deepEqual([gone.code, (gone as Problem & { mergedInto?: string }).mergedInto], ['record_merged', survivor.id]);
  assert.equal(await clientCount(), before - 1);
  assert.deepEqual(await searched('Peak Dental'), ['PEAK01']);
  const closed = itemFor(await matches(t, p, 'closed'), ['B-3', 'M-3']);
  assert.deepEqual([closed.resolution, closed.candidates.length], ['merged', 1]);
  assert.equal((await matches(t, p)).length, 4);
});

test('merge again answers the same; keeping a merged item apart is refused', async () => {
  const item = itemFor(await matches(t, p, 'closed'), ['B-3', 'M-3']);
  const again = await decided(`/v1/matches/${item.id}/merge`);
  assert.deepEqual(
    again.clients.map((c) => [c.id, c.sources.length]),
    [[survivor.id, 2]],
  );
  assert.equal(assertProblem(await userPost(t, p, `/v1/matches/${item.id}/keep-apart`), 409).code, 'match_decided');
  assert.equal(json<ClientDetail>(await userGet(t, p, `/v1/clients/${survivor.id}`)).actions.length, 1, 'no second action');
});

test('split: the source record gets its own client again with its own values, roles and addresses; again answers the same', async () => {
  const before = await clientCount();
  const answer = await decided(`/v1/clients/${survivor.id}/split`, { source: 'brightbooks', ref: 'B-3' });
  assert.equal(answer.match, null);
  const [old, own] = answer.clients as [ClientDetail, ClientDetail];
  assert.equal(old.id, survivor.id);
  assert.deepEqual([own.name, own.clientReference, own.email], ['Peak Dental Care Limited', 'A003', 'HELLO@peakdental.example']);
  assert.deepEqual(sourcesOf(own), [['brightbooks', 'B-3', 'split', null]]);
  assert.deepEqual(sourcesOf(old), [['brightmanager', 'M-3', 'new', null]]);
  // Bob has links of both sources: director of both; Carol came from BrightBooks only: she goes with it.
  assert.deepEqual(rolesOf(old), [['Bob', ['director']]]);
  assert.deepEqual(rolesOf(own), [
    ['Bob', ['director']],
    ['Carol', ['secretary']],
  ]);
  // 5 High St came from both sources: each has its entry; 7 Low Rd from BrightBooks only.
  assert.deepEqual(linesOf(old), ['5 High St']);
  assert.deepEqual(linesOf(own), ['5 High St', '7 Low Rd']);
  assert.notEqual(own.addresses.find((a) => a.line1 === '5 High St')!.id, old.addresses[0]!.id);
  assert.deepEqual(
    [old.actions.at(-1), own.actions.at(-1)].map((a) => [a?.action, a?.other, a?.source, a?.ref]),
    [
      ['split', own.id, 'brightbooks', 'B-3'],
      ['split', old.id, 'brightbooks', 'B-3'],
    ],
  );
  assert.equal(await clientCount(), before + 1);
  assert.deepEqual((await searched('Peak Dental')).sort(), ['A003', 'PEAK01']);

  const again = await decided(`/v1/clients/${survivor.id}/split`, { source: 'brightbooks', ref: 'B-3' });
  assert.deepEqual(
    again.clients.map((c) => c.id),
    [old.id, own.id],
  );
  assert.equal(
    assertProblem(await userPost(t, p, `/v1/clients/${old.id}/split`, { source: 'brightmanager', ref: 'M-3' }), 409).code,
    'split_only_source',
  );
  assertProblem(await userPost(t, p, `/v1/clients/${old.id}/split`, { source: 'brightbooks', ref: 'B-4' }), 404);
  assert.equal(
    assertProblem(await userPost(t, p, `/v1/clients/${mergedAway}/split`, { source: 'brightbooks', ref: 'B-3' }), 404).code,
    'record_merged',
  );
  assertProblem(await userPost(t, p, `/v1/clients/${old.id}/split`, { source: 'Bad Source', ref: 'B-3' }), 400);
});

test('contacts: one source’s two refs merged into one person, then split again', async () => {
  const carol = (await matches(t, p)).find((i) => i.recordType === 'contacts' && i.kind === 'same_source')!;
  const merged = await decided(`/v1/matches/${carol.id}/merge`);
  assert.deepEqual([merged.clients, merged.contacts.length], [[], 1]);
  const person = merged.contacts[0]!;
  assert.deepEqual(
    person.sources.map((s) => s.ref),
    ['BP-4', 'BP-5'],
  );
  assert.equal(person.phone, '+441134960123', 'the one phone of the two refs');
  assert.deepEqual(
    person.clients.map((c) => [c.clientReference, c.roles]),
    [
      ['A004', ['secretary']],
      ['A003', ['secretary']],
    ],
  );
  const other = carol.records.find((id) => id !== person.id)!;
  assert.equal(assertProblem(await userGet(t, p, `/v1/contacts/${other}`), 404).code, 'record_merged');
  const split = await decided(`/v1/contacts/${person.id}/split`, { source: 'brightbooks', ref: 'BP-5' });
  assert.deepEqual(
    split.contacts.map((c) => c.sources.map((s) => s.ref)),
    [['BP-4'], ['BP-5']],
  );
  assert.deepEqual(
    split.contacts.map((c) => c.actions.map((a) => a.action)),
    [['merge', 'split'], ['split']],
  );
});

test('keep apart closes the item for good: again answers the same, merge is refused, a later import does not reopen it', async () => {
  const conflict = itemFor(await matches(t, p), ['M-4'], ['B-4']);
  const answer = await decided(`/v1/matches/${conflict.id}/keep-apart`);
  assert.deepEqual([answer.match?.resolution, answer.clients.map((c) => c.id)], ['kept_apart', conflict.records]);
  for (const client of answer.clients) {
    assert.deepEqual(
      client.actions.map((a) => [a.action, a.match]),
      [['keep_apart', conflict.id]],
    );
  }
  assert.equal((await decided(`/v1/matches/${conflict.id}/keep-apart`)).match?.resolution, 'kept_apart');
  assert.equal(assertProblem(await userPost(t, p, `/v1/matches/${conflict.id}/merge`), 409).code, 'match_decided');

  // BrightAP's Conflicted Ltd joins M-4 (same company number and UTR): the kept-apart pair is looked at again.
  const ap = await createSourceToken(t.db, p.practiceId, 'brightap');
  assert.ok(ap.ok);
  const imported = await runImport(t, ap.value.token, [
    {
      type: 'clients',
      records: [
        {
          ref: 'AP-1',
          clientReference: 'AP1',
          name: 'Conflicted Limited',
          clientType: 'limited_company',
          companyNumber: '05555555',
          utr: '6123561509',
        },
      ],
    },
  ]);
  assert.equal(imported.counts.clients.matched, 1);
  const open = await matches(t, p);
  assert.ok(!open.some((i: MatchItem) => i.records.includes(conflict.records[0]!) && i.records.includes(conflict.records[1]!)));
  assert.equal(itemFor(await matches(t, p, 'closed'), ['AP-1', 'M-4'], ['B-4']).resolution, 'kept_apart');
});

test('a retry and a re-send of the second source match nothing twice and open nothing again', async () => {
  const openBefore = (await matches(t, p)).map((i) => i.id).sort();
  const again = await runImport(t, p.tokens.brightbooks, BOOKS);
  assert.deepEqual([again.counts.clients.skipped, again.counts.clients.matched, again.counts.contacts.matched], [4, 0, 0]);
  // A BrightBooks client that failed (a bad client type) and is sent again in a retry joins M-1... once.
  const books = sourceClient(t.app, p.tokens.brightbooks);
  const bad = { ref: 'B-9', clientReference: 'A009', name: 'Nine Ltd', clientType: 'nonsense', companyNumber: '09999999' };
  const first = await runImport(t, p.tokens.brightbooks, [{ type: 'clients', records: [bad] }]);
  assert.equal(first.counts.clients.failed, 1);
  const retried = await books.post(`/v1/imports/${first.id}/retry`);
  assert.equal(retried.statusCode, 201, retried.body);
  const retry = json<ImportView>(retried).id;
  await books.putBatch(retry, 1, { type: 'clients', records: [{ ...bad, clientType: 'limited_company' }] });
  await books.complete(retry, 1);
  const done = await waitForCompletion(t.app, p.tokens.brightbooks, retry);
  assert.deepEqual([done.counts.clients.imported, done.counts.clients.matched], [1, 0]);
  const resent = await runImport(t, p.tokens.brightbooks, [{ type: 'clients', records: [{ ...bad, clientType: 'limited_company' }] }]);
  assert.deepEqual([resent.counts.clients.skipped, resent.counts.clients.matched], [1, 0]);
  assert.deepEqual((await matches(t, p)).map((i) => i.id).sort(), openBefore);
});

test('only practice users decide: a source token 403, a session without the CSRF header 403', async () => {
  const item = (await matches(t, p))[0]!;
  const books = sourceClient(t.app, p.tokens.brightbooks);
  assertProblem(await books.post(`/v1/matches/${item.id}/merge`), 403);
  assertProblem(await books.post(`/v1/matches/${item.id}/keep-apart`), 403);
  assertProblem(await books.post(`/v1/clients/${survivor.id}/split`, { source: 'brightbooks', ref: 'B-1' }), 403);
  assertProblem(await t.app.inject({ method: 'POST', url: `/v1/matches/${item.id}/merge`, headers: p.read, payload: {} }), 403);
  assert.equal((await matches(t, p)).find((i) => i.id === item.id)?.status, 'open');
});

test("another practice's ids answer 404, a merged one without naming the survivor", async () => {
  const other = await reviewPractice(t, 'Other Decisions Practice');
  const item = (await matches(t, p))[0]!;
  for (const url of [`/v1/matches/${item.id}/merge`, `/v1/matches/${item.id}/keep-apart`])
    assertProblem(await userPost(t, other, url), 404);
  assertProblem(await userPost(t, other, `/v1/clients/${survivor.id}/split`, { source: 'brightmanager', ref: 'M-3' }), 404);
  const foreign = assertProblem(await userGet(t, other, `/v1/clients/${mergedAway}`), 404);
  assert.equal(foreign.code, undefined);
  assert.ok(!(await matches(t, other)).some((i) => i.id === item.id));
  assert.equal((await matches(t, p)).find((i) => i.id === item.id)?.status, 'open');
});
