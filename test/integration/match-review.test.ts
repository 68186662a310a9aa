// The review of cross-product matches (SPEC §9) through the HTTP API: BrightManager's export, then BrightBooks',
// open a review item of each kind; a practice user lists them, merges, keeps apart and splits.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MatchPage } from '../../src/contract/matches.contract.ts';
import { json } from '../helpers/json.ts';
import { assertProblem } from '../helpers/problem.ts';
import { itemFor, matches, refsOf, reviewPractice, userGet, type ReviewPractice } from '../helpers/review.ts';
import { sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let p: ReviewPractice;
before(async () => {
  t = await startTestApp({ sessions: true });
  p = await reviewPractice(t, 'Review Practice');
});
after(async () => {
  await t?.close();
});

test('the two exports open an item of each kind, listed with the candidates side by side and the evidence', async () => {
  const open = await matches(t, p);
  // (one source's two refs are of one age: their order is the ids')
  const sameAge = (i: (typeof open)[number]) => (i.kind === 'same_source' && i.recordType === 'contacts' ? refsOf(i).sort() : refsOf(i));
  assert.deepEqual(open.map((i) => [i.recordType, i.kind, sameAge(i)]).sort(), [
    ['clients', 'conflict', [['M-4'], ['B-4']]],
    ['clients', 'possible_match', [['M-3'], ['B-3']]],
    ['clients', 'same_source', [['B-1', 'M-1'], ['B-5']]],
    ['contacts', 'conflict', [['MP-6'], ['BP-6']]],
    ['contacts', 'same_source', [['BP-4'], ['BP-5']].sort()],
  ]);
  const peak = itemFor(open, ['M-3'], ['B-3']);
  assert.deepEqual(
    { status: peak.status, resolution: peak.resolution, closedAt: peak.closedAt, closedBy: peak.closedBy },
    { status: 'open', resolution: null, closedAt: null, closedBy: null },
  );
  assert.deepEqual(
    peak.records,
    peak.candidates.map((c) => c.id),
  );
  assert.deepEqual(
    peak.candidates.map((c) => [c.name, c.fields['email'], c.fields['clientReference'], c.postcodes]),
    [
      ['Peak Dental Care Ltd', 'hello@peakdental.example', 'PEAK01', ['LS2 7AB']],
      ['Peak Dental Care Limited', 'HELLO@peakdental.example', 'A003', ['LS2 7AB', 'LS3 1AA']],
    ],
  );
  assert.deepEqual(
    peak.evidence.find((e) => e.field === 'name'),
    {
      field: 'name',
      values: ['Peak Dental Care Ltd', 'Peak Dental Care Limited'],
      same: true,
    },
  );
  const dan = itemFor(open, ['MP-6'], ['BP-6']);
  assert.deepEqual(
    dan.evidence.find((e) => e.field === 'dateOfBirth'),
    { field: 'dateOfBirth', values: ['1970-01-01', '1971-02-02'], same: false },
  );
  assert.deepEqual(await matches(t, p, 'closed'), []);
});

test('the list pages by cursor, oldest first, and refuses a cursor of the other status', async () => {
  const all = (await matches(t, p)).map((i) => i.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await userGet(t, p, `/v1/matches?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200, res.body);
    const page: MatchPage = json<MatchPage>(res);
    assert.ok(page.matches.length <= 2);
    seen.push(...page.matches.map((i) => i.id));
    cursor = page.nextCursor;
    if (cursor) assertProblem(await userGet(t, p, `/v1/matches?status=closed&cursor=${cursor}`), 400, /cursor/);
  } while (cursor);
  assert.deepEqual(seen, all);
  assertProblem(await userGet(t, p, '/v1/matches?status=maybe'), 400);
  assertProblem(await userGet(t, p, '/v1/matches?cursor=bm9wZQ'), 400, /cursor/);
});

test('the review is for practice users: a source token gets 403, no credentials 401', async () => {
  const books = sourceClient(t.app, p.tokens.brightbooks);
  assertProblem(await books.get('/v1/matches'), 403);
  assertProblem(await t.app.inject({ method: 'GET', url: '/v1/matches' }), 401);
});
