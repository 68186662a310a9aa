// CSV exports as other software writes them: headers that name a field in other words get a suggestion (never a
// guess), a mapping file maps any header, delimiters are sniffed, and `send` refuses a file whose required fields
// have no column before any import exists on the server.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RecordType } from '../../src/contract/records.ts';
import { planColumns, targetName } from '../../packages/sender/src/cli/column-mapping.ts';
import { sniffDelimiter } from '../../packages/sender/src/cli/csv-dialect.ts';
import { findExportFiles, readExport } from '../../packages/sender/src/cli/export-reader.ts';
import type { ImportList } from '../../src/contract/imports.contract.ts';
import { fetchedJson } from '../helpers/json.ts';
import { createSource } from '../helpers/test-app.ts';
import { runCli, startListeningApp, type ListeningApp } from './sender-helpers.ts';

let t: ListeningApp;
let tmp: string;
before(async () => {
  t = await startListeningApp();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-map-'));
});
after(async () => {
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(tmp, name);
  await fs.mkdir(dir);
  for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(dir, file), text);
  return dir;
}

async function readAll(dir: string) {
  const out: { type: RecordType; record: unknown }[] = [];
  for await (const { type, record } of readExport(await findExportFiles(dir))) out.push({ type, record });
  return out;
}

const suggestions = (type: RecordType, header: string[]) =>
  Object.fromEntries(planColumns(type, `${type}.csv`, header).columns.map((c) => [c.column, c.suggestion?.target ?? null]));

test('headers that name no field get the field they most likely mean: common synonyms and close spellings', () => {
  assert.deepEqual(suggestions('clients', ['Client Code', 'Company Name', 'Type', 'VAT Reg No', 'Tel', 'Web site', 'Notes']), {
    'Client Code': 'clientReference',
    'Company Name': 'name',
    Type: 'clientType',
    'VAT Reg No': 'vatNumber',
    Tel: 'phone',
    'Web site': null, // "website" by its own name: matched, nothing to suggest
    Notes: null,
  });
  assert.deepEqual(suggestions('contacts', ['ID', 'Forename', 'Surnmae', 'DOB', 'Emial', 'Client Refs', 'Role']), {
    ID: 'ref',
    Forename: 'firstName',
    Surnmae: 'lastName',
    DOB: 'dateOfBirth',
    Emial: 'email',
    'Client Refs': null,
    Role: 'roles',
  });
  assert.deepEqual(suggestions('addresses', ['Address 1', 'City', 'Postcde', 'Start Date', 'Type']), {
    'Address 1': 'line1',
    City: 'town',
    Postcde: 'postcode',
    'Start Date': 'from',
    Type: 'kind',
  });
  // A field that already has its column is not suggested again; short names tolerate no typo.
  assert.deepEqual(suggestions('clients', ['name', 'Company Name', 'to']), { name: null, 'Company Name': null, to: null });

  const plan = planColumns('clients', 'clients.csv', ['Client Code', 'Company Name', 'Type']);
  assert.deepEqual(plan.problems, [
    'clients.csv has no column for ref, which is required.',
    "clients.csv has no column for clientReference, which is required ('Client Code' looks like it).",
    "clients.csv has no column for name, which is required ('Company Name' looks like it).",
    "clients.csv has no column for clientType, which is required ('Type' looks like it).",
  ]);
  assert.deepEqual(planColumns('clients', 'clients.csv', ['a', 'b']).problems, [
    "clients.csv has no column for any required field of clients (ref, clientReference, name, clientType); its header reads 'a', 'b'.",
  ]);
});

test('a mapping file maps any header; null ignores a column; a name that is no field is a problem', () => {
  const mapping = { clients: { 'Client Code': 'clientReference', 'Company Name': 'name', Kind: 'client_type', ID: 'ref', Notes: null } };
  const plan = planColumns(
    'clients',
    'clients.csv',
    ['ID', 'Client Code', 'Company Name', 'Kind', 'Notes', 'VAT'],
    mapping,
    'mapping.json',
  );
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(
    plan.columns.map((c) => [c.column, c.target && targetName(c.target), c.how]),
    [
      ['ID', 'ref', 'mapped'],
      ['Client Code', 'clientReference', 'mapped'],
      ['Company Name', 'name', 'mapped'],
      ['Kind', 'clientType', 'mapped'],
      ['Notes', null, 'ignored'],
      ['VAT', null, 'unknown'],
    ],
  );
  assert.deepEqual(plan.warnings, [
    "clients.csv: column 'VAT' is not a field of clients; it is ignored (it looks like vatNumber: map it in mapping.json).",
  ]);
  const wrong = planColumns(
    'clients',
    'clients.csv',
    ['ref', 'Code', 'name', 'client_type'],
    { clients: { Code: 'clientRef' } },
    'mapping.json',
  );
  assert.match(
    wrong.problems[0]!,
    /^mapping\.json maps 'Code' to 'clientRef', which is not a column of clients \(one of ref, clientReference/,
  );
  const twice = planColumns('clients', 'clients.csv', ['ref', 'Code', 'client_reference', 'name', 'client_type'], {
    clients: { Code: 'clientReference' },
  });
  assert.deepEqual(twice.problems, [
    "clients.csv: columns 'Code' and 'client_reference' all fill clientReference; map all but one to null.",
  ]);
});

test('delimiters , ; tab and | are sniffed from the header and the first rows', async () => {
  const rows = [
    ['ref', 'client_reference', 'name', 'client_type'],
    ['C-1', 'ACME01', 'Acme, Trading Ltd', 'limited_company'],
    ['C-2', 'BETA01', 'Beta; Best | Ltd', 'llp'],
  ];
  const expected = [
    { type: 'clients', record: { ref: 'C-1', clientReference: 'ACME01', name: 'Acme, Trading Ltd', clientType: 'limited_company' } },
    { type: 'clients', record: { ref: 'C-2', clientReference: 'BETA01', name: 'Beta; Best | Ltd', clientType: 'llp' } },
  ];
  for (const [label, d] of [
    ['comma', ','],
    ['semicolon', ';'],
    ['tab', '\t'],
    ['pipe', '|'],
  ] as const) {
    const text = rows.map((r) => r.map((cell) => (cell.includes(d) ? `"${cell}"` : cell)).join(d)).join('\r\n');
    const dir = await folder(`delim-${label}`, { 'clients.csv': `\uFEFF${text}\r\n` });
    assert.deepEqual(await readAll(dir), expected, label);
  }
  // A comma file whose cells hold `;`-lists stays a comma file; a `;` file with unquoted commas in a cell stays `;`.
  assert.equal(sniffDelimiter({ text: 'ref,last_name,client_refs,roles\nP-1,Smith,C-1;C-2,director;partner\n', whole: true }), ',');
  assert.equal(sniffDelimiter({ text: 'ref;name\nC-1;Acme, Trading, Ltd\nC-2;Beta, Ltd\n', whole: true }), ';');
  assert.equal(sniffDelimiter({ text: 'ref\nC-1\n', whole: true }), ',');
});

test(
  'send refuses a file whose required fields have no column before any import exists; map writes the mapping that lets it go',
  {
    timeout: 60_000,
  },
  async () => {
    const { token } = await createSource(t.db);
    const env = { BRIGHTCLIENT_TOKEN: token, BRIGHTCLIENT_URL: t.url };
    const imports = async () => {
      const res = await fetch(`${t.url}/v1/imports`, { headers: { authorization: `Bearer ${token}` } });
      return (await fetchedJson<ImportList>(res)).imports;
    };
    const dir = await folder('excel', {
      'clients.csv': 'Client ID;Client Code;Company Name;Type;Notes\nC-1;ACME01;Acme Ltd;limited_company;x\nC-2;BETA01;Beta LLP;llp;\n',
    });

    const refused = await runCli(['send', dir]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.deepEqual(refused.stderr.trim().split('\n'), [
      'brightclient: nothing was sent; the export cannot be read as it is:',
      "  clients.csv has no column for ref, which is required ('Client ID' looks like it).",
      "  clients.csv has no column for clientReference, which is required ('Client Code' looks like it).",
      "  clients.csv has no column for name, which is required ('Company Name' looks like it).",
      "  clients.csv has no column for clientType, which is required ('Type' looks like it).",
      `Run \`brightclient map ${dir}\` to see how each column is read and write a starter mapping.json.`,
    ]);
    assert.deepEqual(await imports(), [], 'no import was started');

    const mapped = await runCli(['map', dir], env);
    assert.equal(mapped.code, 0, mapped.stdout);
    assert.match(mapped.stdout, /clients\.csv \(clients, delimiter ';'\):\n {2}Client ID +→ ref +suggested/);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, 'mapping.json'), 'utf8')), {
      clients: { 'Client ID': 'ref', 'Client Code': 'clientReference', 'Company Name': 'name', Type: 'clientType', Notes: null },
    });

    const sent = await runCli(['send', dir], env);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stderr, /Columns mapped by .*mapping\.json\./);
    const [view] = await imports();
    assert.deepEqual([view?.counts.clients.received, view?.counts.clients.imported], [2, 2]);
  },
);
