// Client search over HTTP (SPEC §9): tolerance of accents, case, punctuation, word order and typos; legal
// suffixes folded; exact and prefix matches first with deterministic ties; references and company numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { list, names, seedPractices, type Api } from '../helpers/clients-fixture.ts';

let t: TestApp;
let a: Api; // practice A: 30 clients, contacts and addresses

before(async () => {
  t = await startTestApp();
  ({ a } = await seedPractices(t));
});

after(async () => {
  await t?.close();
});

test('search tolerates accents, letter case, punctuation, word order and small typos', async () => {
  assert.equal((await names(a, 'Muller'))[0], 'Müller & Söhne Ltd');
  assert.equal((await names(a, 'Söhne Müller'))[0], 'Müller & Söhne Ltd');
  assert.equal((await names(a, 'MULLER, sohne!'))[0], 'Müller & Söhne Ltd');
  assert.equal((await names(a, 'Acne Trading'))[0], 'Acme Trading Ltd'); // one wrong letter
  assert.equal((await names(a, 'acme tradng'))[0], 'Acme Trading Ltd'); // one missing letter
  assert.equal((await names(a, 'acme ltd'))[0], 'Acme Trading Ltd');
  assert.equal((await names(a, 'obrien'))[0], "O'Brien Plumbing");
  assert.equal((await names(a, 'smith jones'))[0], 'Jones, Smith & Partners LLP');
  assert.deepEqual(await names(a, 'zzyzx quokka'), []);
});

test('legal suffixes are folded: either form finds the other first, and the closest name ranks first', async () => {
  assert.deepEqual((await names(a, 'Peak Dental Care Limited')).slice(0, 2), ['Peak Dental Care Ltd', 'Peak Dental Care Services Ltd']);
  assert.equal((await names(a, 'the peak dental care (uk) ltd'))[0], 'Peak Dental Care Ltd');
  assert.deepEqual((await names(a, 'Bracken Holdings Ltd')).slice(0, 2), ['Bracken Holdings Limited', 'Brown Holdings Limited']);
  assert.equal((await names(a, 'Acme Trading Limited'))[0], 'Acme Trading Ltd');
  assert.equal((await names(a, 'muller and sohne'))[0], 'Müller & Söhne Ltd');
});

test('typos in short words and transpositions are found, closest first', async () => {
  assert.equal((await names(a, 'Smtih'))[0], 'John Smith');
  assert.equal((await names(a, 'Jonse Smith'))[0], 'Jones, Smith & Partners LLP');
  assert.equal((await names(a, 'Bracekn'))[0], 'Bracken Holdings Limited');
  assert.equal((await names(a, 'Peak Dnetal'))[0], 'Peak Dental Care Ltd');
});

test('exact names first, then names starting with the search, then the rest; ties deterministic', async () => {
  const found = await names(a, 'peak dental');
  assert.deepEqual(found.slice(0, 2), ['Peak Dental Care Ltd', 'Peak Dental Care Services Ltd']);
  // Of names matching alike, those written most like the search come first (here the shortest), equal ones by
  // name; the same search always gives the same order.
  const estates = await names(a, 'Estates');
  assert.deepEqual(estates.slice(0, 4), ['Elm Estates Ltd', 'Fir Estates Ltd', 'Oak Estates Ltd', 'Yew Estates Ltd']);
  assert.deepEqual(await names(a, 'Estates'), estates);
  assert.equal((await names(a, 'Peak Dental Care Services'))[0], 'Peak Dental Care Services Ltd');
});

test('search finds a client reference or company number, exactly or by its beginning, first', async () => {
  for (const query of ['ACME01', 'acme01', 'ACM', '01234567', '0123 4567', '012345']) {
    assert.equal((await names(a, query))[0], 'Acme Trading Ltd', query);
  }
  assert.equal((await names(a, 'sc654321'))[0], 'Müller & Söhne Ltd');
  // a search of LIKE's wildcards matches them literally, not every client
  assert.deepEqual(await names(a, '%'), []);
  assert.deepEqual(await names(a, '_'), []);
});

test('search results page by cursor in rank order, each once', async () => {
  const full = (await list(a, { search: 'estates ltd', limit: 200 })).clients.map((c) => c.id);
  assert.ok(full.length >= 21, `found ${full.length}`);
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(a, cursor ? { search: 'estates ltd', limit: 4, cursor } : { search: 'estates ltd', limit: 4 });
    paged.push(...page.clients.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor && paged.length < 100);
  assert.deepEqual(paged, full);
});
