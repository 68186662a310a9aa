// Export folders: the generator's data is valid by the server's own checkers except exactly what it planted; the
// three file formats read back to the same records; CSV links and owners map as docs/sender.md says; broken files
// are reported with their place.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { RECORD_TYPE_SINGULAR, type RecordType } from '../../src/contract/records.ts';
import { checkers } from '../../src/intake/validate-record.ts';
import { ExportReadError, findExportFiles, readExport } from '../../packages/sender/src/cli/export-reader.ts';
import { generatePractice } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { writeGeneratedExport } from '../../packages/sender/src/cli/generate/write-export.ts';
import type { ExpectedCounts } from '../../packages/sender/src/cli/generate/expected-outcome.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
let tmp: string;
before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-export-'));
});
after(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function readAll(dir: string, warnings: string[] = []) {
  const out: { type: RecordType; record: unknown }[] = [];
  for await (const { type, record } of readExport(await findExportFiles(dir), { onWarning: (w) => warnings.push(w) }))
    out.push({ type, record });
  return out;
}

test('generated records pass the server’s checkers, except exactly the planted fields; every failure kind is planted', () => {
  const practice = generatePractice({ clients: 1_500, seed: 11, invalidRate: 0.05 });
  const records = [...practice.records];
  const structural = new Set(['duplicate_ref', 'parent_not_found', 'parent_failed']);
  const planted = new Map<string, string[]>();
  for (const row of practice.expected.rows) {
    if (structural.has(row.code)) continue;
    const key = `${row.record_type}:${row.record_ref}`;
    planted.set(key, [...(planted.get(key) ?? []), `${row.field} ${row.code}`]);
  }
  const seen = new Set<string>();
  for (const { type, record } of records) {
    const key = `${RECORD_TYPE_SINGULAR[type]}:${String(record['ref'])}`;
    const found = checkers[type](record)
      .errors.map((e) => `${e.field} ${e.code}`)
      .sort();
    // A later copy of a ref (a planted duplicate) is a clean copy of the first.
    const want = seen.has(key) ? [] : (planted.get(key) ?? []).sort();
    seen.add(key);
    assert.deepEqual(found, want, `${key}: ${JSON.stringify(record)}`);
  }
  const kinds = new Set(practice.expected.rows.map((r) => `${r.record_type} ${r.field.replace(/\d+/, 'i')} ${r.code}`));
  for (const kind of [
    'client vatNumber invalid_vat_number',
    'client utr invalid_utr',
    'client companyNumber invalid_company_number',
    'client email invalid_email',
    'client clientType invalid_value',
    'client name required',
    'client phone invalid_phone',
    'client website invalid_url',
    'client ref duplicate_ref',
    'contact email invalid_email',
    'contact dateOfBirth date_not_in_past',
    'contact dateOfBirth invalid_date',
    'contact lastName required',
    'contact clients[i].role invalid_value',
    'contact clients[i].ref parent_not_found',
    'contact clients[i].ref parent_failed',
    'contact ref duplicate_ref',
    'address postcode invalid_postcode',
    'address to date_range',
    'address town required',
    'address owner.ref parent_not_found',
    'address owner.ref parent_failed',
    'address country invalid_country',
    'address from invalid_date',
    'address ref duplicate_ref',
  ]) {
    assert.ok(kinds.has(kind), `no planted ${kind}`);
  }
  // Realistic shape: 1–4 contacts per client, some people serving several clients, address histories.
  const contacts = records.filter((r) => r.type === 'contacts').map((r) => r.record as { clients: { ref: string }[] });
  assert.ok(
    contacts.some((c) => new Set(c.clients.map((l) => l.ref)).size > 1),
    'no contact shared between clients',
  );
  const addresses = records
    .filter((r) => r.type === 'addresses')
    .map((r) => r.record as { owner: { type: string; ref: string }; kind: string; from: string; to?: string });
  const histories = new Map<string, { from: string; to?: string }[]>();
  for (const a of addresses)
    histories.set(`${a.owner.type}:${a.owner.ref}:${a.kind}`, [...(histories.get(`${a.owner.type}:${a.owner.ref}:${a.kind}`) ?? []), a]);
  assert.ok([...histories.values()].some((h) => h.length >= 3));
});

test('the same seed writes the same export; NDJSON, JSON and CSV read back to the same records', async () => {
  const dirs = {
    ndjson: path.join(tmp, 'nd'),
    json: path.join(tmp, 'js'),
    csv: path.join(tmp, 'csv'),
    again: path.join(tmp, 'nd2'),
  } as const;
  for (const [format, dir] of Object.entries(dirs)) {
    await writeGeneratedExport(dir, {
      clients: 300,
      seed: 5,
      invalidRate: 0.05,
      format: format === 'again' ? 'ndjson' : (format as 'ndjson' | 'json' | 'csv'),
    });
  }
  for (const file of ['clients.ndjson', 'contacts.ndjson', 'addresses.ndjson', 'expected-errors.csv']) {
    assert.ok((await fs.readFile(path.join(dirs.ndjson, file))).equals(await fs.readFile(path.join(dirs.again, file))), file);
  }
  const ndjson = await readAll(dirs.ndjson);
  assert.equal(
    ndjson.length,
    Object.values(
      (
        JSON.parse(await fs.readFile(path.join(dirs.ndjson, 'expected-summary.json'), 'utf8')) as {
          counts: Record<RecordType, ExpectedCounts>;
        }
      ).counts,
    ).reduce((n, c) => n + c.received, 0),
  );
  assert.deepEqual(await readAll(dirs.json), ndjson);
  assert.deepEqual(await readAll(dirs.csv), ndjson);
});

test('CSV: header aliases, quoted cells, numbered client links, owner columns; unknown columns warned about', async () => {
  const warnings: string[] = [];
  const records = await readAll(path.join(fixtures, 'csv-links'), warnings);
  assert.deepEqual(records, [
    {
      type: 'clients',
      record: { ref: 'C-1', clientReference: 'ACME01', name: 'Acme, Trading Ltd', clientType: 'limited_company', vatNumber: 'GB980780684' },
    },
    { type: 'clients', record: { ref: 'C-2', clientReference: 'BETA01', name: 'Beta "Best" Ltd', clientType: 'llp' } },
    {
      type: 'contacts',
      record: {
        ref: 'P-1',
        firstName: 'Jane',
        lastName: 'Smith',
        dateOfBirth: '1970-05-01',
        clients: [
          { ref: 'C-1', role: 'director' },
          { ref: 'C-2', role: 'partner' },
        ],
      },
    },
    { type: 'contacts', record: { ref: 'P-2', lastName: 'Doe', clients: [{ ref: 'C-2' }] } },
    {
      type: 'addresses',
      record: {
        ref: 'A-1',
        line1: '1 Park Row',
        town: 'Leeds',
        postcode: 'LS1 5HD',
        from: '2019-04-01',
        owner: { type: 'client', ref: 'C-1' },
      },
    },
    {
      type: 'addresses',
      record: {
        ref: 'A-2',
        line1: '2 Park Row, Flat 3',
        town: 'Leeds',
        postcode: 'LS1 5HD',
        from: '2018-01-01',
        to: '2019-03-31',
        owner: { type: 'contact', ref: 'P-1' },
      },
    },
  ]);
  assert.deepEqual(warnings, ["clients.csv: column 'Notes' is not a field of clients; it is ignored."]);
});

test('a JSON array is streamed element by element, whatever its strings and nesting; NDJSON skips blank lines', async () => {
  const records = await readAll(path.join(fixtures, 'json-array'));
  assert.deepEqual(
    records.map((r) => (r.record as { ref: string }).ref),
    ['C-1', 'C-2', 'C-3', 'P-1', 'P-2'],
  );
  assert.equal((records[0]!.record as { name: string }).name, 'Brackets [and] {braces}, "quoted" \\ Ltd');
  assert.deepEqual((records[1]!.record as { tags: unknown }).tags, [[1, 2], { x: [3] }]);
});

test('NDJSON is split in bytes: lines across read chunks, multi-byte text, a BOM, CRLF, blank lines, no final newline', async () => {
  const dir = path.join(tmp, 'ndjson-bytes');
  await fs.mkdir(dir);
  // ~500 KB: several 64 KB reads, so lines and the two- to four-byte characters in them straddle chunk boundaries,
  // and one line of ~200 KB, longer than a read.
  const names = Array.from({ length: 3000 }, (_, i) => `Zoë Ørsted 日本 🙂 ${i} ${'é'.repeat(i === 1500 ? 100_000 : i % 40)}`);
  const lines = names.map((name, i) => JSON.stringify({ ref: `C-${i}`, name }));
  const text = `\uFEFF${lines.slice(0, 1000).join('\r\n')}\r\n\r\n  \n${lines.slice(1000).join('\n')}`;
  await fs.writeFile(path.join(dir, 'clients.ndjson'), text);
  const read = [];
  for await (const r of readExport(await findExportFiles(dir))) read.push(r);
  assert.deepEqual(
    read.map((r) => (r.record as { name: string }).name),
    names,
  );
  assert.equal(
    read.reduce((sum, r) => sum + (r.size ?? 0), 0),
    Buffer.byteLength(text),
  );
});

test('broken export files are reported with the file and place', async () => {
  const dir = path.join(tmp, 'broken');
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, 'clients.ndjson'), '{"ref":"C-1"}\n{"ref": oops}\n');
  await assert.rejects(
    readAll(dir),
    (e: Error) => e instanceof ExportReadError && /clients\.ndjson, line 2: not valid JSON/.test(e.message),
  );
  // Two values on one line, or one cut short, are not a record (each is parsed alone for the message).
  for (const line of ['{"ref":"C-2"}, {"ref":"C-3"}', '{"ref":"C-2"}]', '"C-2",', '']) {
    await fs.writeFile(path.join(dir, 'clients.ndjson'), `{"ref":"C-1"}\n${line || '  ,'}\n`);
    await assert.rejects(
      readAll(dir),
      (e: Error) => e instanceof ExportReadError && /clients\.ndjson, line 2: not valid JSON \(.*JSON/.test(e.message),
      line,
    );
  }
  await fs.rm(path.join(dir, 'clients.ndjson'));
  await fs.writeFile(path.join(dir, 'clients.json'), '[{"ref":"C-1"},{"ref":"C-2"');
  await assert.rejects(readAll(dir), /not closed/);
  await fs.writeFile(path.join(dir, 'clients.csv'), 'ref\nC-1\n');
  await assert.rejects(findExportFiles(dir), /keep one file of clients/);
  await assert.rejects(findExportFiles(path.join(tmp, 'empty-nothing')), /cannot be read/);
  const csvDir = path.join(tmp, 'csv-broken');
  await fs.mkdir(csvDir);
  await fs.writeFile(path.join(csvDir, 'contacts.csv'), 'ref,last_name,client_refs,roles\nP-1,"Smith,C-1,director\n');
  await assert.rejects(readAll(csvDir), (e: Error) => e instanceof ExportReadError && /contacts\.csv: Quote Not Closed/.test(e.message));
});

test('expected-errors.csv has the error file’s leading columns', async () => {
  const text = await fs.readFile(path.join(tmp, 'nd', 'expected-errors.csv'), 'utf8');
  const rows = parse<Record<string, string>>(text, { columns: true });
  assert.deepEqual(Object.keys(rows[0]!), ['record_type', 'record_ref', 'record_name', 'client_reference', 'field', 'code', 'planted']);
});
