// The error file and the open failures as an Excel workbook: one sheet, the CSV's header row, the same rows as the
// JSON, every cell text — a name that looks like a formula shows as written, nothing is evaluated, no apostrophe —
// and accented names intact. Read back with read-excel-file, and converted by LibreOffice where it is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import readXlsxFile from 'read-excel-file/node';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { ERROR_FILE_COLUMNS, FAILURE_COLUMNS } from '../../src/reports/error-file.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let source: ReturnType<typeof sourceClient>;
let importId: string;
let tmp: string;
before(async () => {
  t = await startTestApp();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bc-xlsx-'));
  const { token } = await createSource(t.db);
  source = sourceClient(t.app, token);
  importId = json<ImportView>(await source.startImport()).id;
  const clients = [
    { ref: 'C-1', clientReference: 'ZOE01', name: 'Zoë Brontë & Søn', clientType: 'limited_company', email: 'not-an-email' },
    {
      ref: 'C-2',
      clientReference: '=1+1',
      name: '=HYPERLINK("http://evil.example","open me")',
      clientType: 'sole_trader',
      vatNumber: 'GB1',
    },
    { ref: 'C-3', clientReference: '+44 113', name: '_x0041_ <b>Tag</b> Ltd', clientType: 'charity', website: 'not a url' },
    { ref: 'C-4', clientReference: 'OK01', name: 'Fine Ltd', clientType: 'trust' },
  ];
  assert.equal((await source.putBatch(importId, 1, { type: 'clients', records: clients })).statusCode, 202);
  assert.equal((await source.complete(importId, 1)).statusCode, 202);
  await waitForCompletion(t.app, token, importId);
});
after(async () => {
  await t?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

type JsonRow = Record<string, string | number | boolean | null>;
const asText = (rows: JsonRow[], columns: readonly string[]) =>
  rows.map((row) => columns.map((c) => (row[c] === null || row[c] === '' ? null : String(row[c]))));

async function sheetOf(url: string, file: string) {
  const res = await source.get(url);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(res.headers['content-disposition'], `attachment; filename="${file}"`);
  const sheets = await readXlsxFile(res.rawPayload);
  assert.equal(sheets.length, 1, 'one sheet');
  return { bytes: res.rawPayload, data: sheets[0]!.data };
}

test('GET …/errors?format=xlsx: the header row and the JSON rows, every cell as text, nothing evaluated', async () => {
  const { bytes, data } = await sheetOf(`/v1/imports/${importId}/errors?format=xlsx`, `brightclient-errors-${importId}.xlsx`);
  const rows = json<JsonRow[]>(await source.get(`/v1/imports/${importId}/errors?format=json`));
  assert.equal(rows.length, 3);
  assert.deepEqual(data[0], [...ERROR_FILE_COLUMNS]);
  assert.deepEqual(data.slice(1), asText(rows, ERROR_FILE_COLUMNS));
  const names = new Set(data.slice(1).map((row) => row[2]));
  assert.ok(names.has('Zoë Brontë & Søn'));
  assert.ok(names.has('=HYPERLINK("http://evil.example","open me")'), 'shown as written, no apostrophe');
  assert.ok(names.has('_x0041_ <b>Tag</b> Ltd'), 'Excel’s own escapes and markup stay literal');
  assert.ok(data.slice(1).some((row) => row[3] === '+44 113'));
  // Text cells only: no formula element and no number cell anywhere in the sheet.
  const { unzipSync, strFromU8 } = await import('fflate');
  const sheet = strFromU8(unzipSync(new Uint8Array(bytes))['xl/worksheets/sheet1.xml']!);
  assert.doesNotMatch(sheet, /<f>|<f /);
  assert.equal(sheet.match(/<c /g)!.length, sheet.match(/t="inlineStr"/g)!.length);
  await fs.writeFile(path.join(tmp, 'errors.xlsx'), bytes);
});

test('GET /v1/failures?format=xlsx: the open failures with import_id and source', async () => {
  const { data } = await sheetOf('/v1/failures?format=xlsx', 'brightclient-open-failures.xlsx');
  const rows = json<JsonRow[]>(await source.get('/v1/failures?format=json'));
  assert.deepEqual(data[0], [...FAILURE_COLUMNS]);
  assert.deepEqual(data.slice(1), asText(rows, FAILURE_COLUMNS));
  assert.ok(data.slice(1).every((row) => row[FAILURE_COLUMNS.indexOf('import_id')] === importId));
});

test('the CSV stays as SPEC §6 says: BOM, its columns, formula-like cells neutralised', async () => {
  const res = await source.get(`/v1/imports/${importId}/errors`);
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  assert.ok(res.body.startsWith('\uFEFFrecord_type,record_ref,record_name,client_reference,field,reason,'));
  assert.match(res.body, /,"'=HYPERLINK\(""http:\/\/evil\.example"",""open me""\)",'=1\+1,/);
});

const soffice = ['soffice', 'libreoffice'].find((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0);

test(
  'LibreOffice opens the workbook with its defaults: accents intact, the formula-like name as text',
  { skip: soffice ? false : 'LibreOffice is not installed' },
  () => {
    const converted = spawnSync(
      soffice!,
      [
        '--headless',
        `-env:UserInstallation=file://${tmp}/lo-profile`,
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76',
        '--outdir',
        tmp,
        path.join(tmp, 'errors.xlsx'),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(converted.status, 0, converted.stderr);
    return fs.readFile(path.join(tmp, 'errors.csv'), 'utf8').then((csv) => {
      assert.match(csv, /Zoë Brontë & Søn/);
      assert.match(csv, /"=HYPERLINK\(""http:\/\/evil\.example"",""open me""\)"/);
      assert.doesNotMatch(csv, /(^|,)"?open me"?(,|$)|#NAME|Err:\d/m, 'not evaluated');
    });
  },
);
