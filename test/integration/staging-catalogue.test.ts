// The staging catalogue and the import's closed lists agree with the schema: a column added to one and not the
// other (a new field of a record, a new phase) fails here rather than in the middle of an import.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RECORD_TYPES } from '../../src/contract/records.ts';
import { createPool, type Db } from '../../src/db/pool.ts';
import { IMPORT_PHASES } from '../../src/domain/import-lifecycle.ts';
import {
  centralColumns,
  CONTACT_LINKS,
  PROCESSING_COLUMNS,
  RECORD_ERRORS,
  STAGING,
  stagedColumns,
} from '../../src/intake/staging-catalogue.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase();
  db = createPool(database.url, 2);
});
after(async () => {
  await db?.end();
  await database?.drop();
});

async function columnTypes(table: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

test('each staging table has exactly the columns intake COPYs, plus those processing sets', async () => {
  for (const type of RECORD_TYPES) {
    const actual = [...(await columnTypes(STAGING[type].table)).keys()].sort();
    assert.deepEqual(actual, [...stagedColumns(type), ...PROCESSING_COLUMNS].sort(), STAGING[type].table);
  }
  assert.deepEqual([...(await columnTypes(CONTACT_LINKS.table)).keys()].sort(), [...CONTACT_LINKS.columns].sort());
  // Processing fills more of an error row later (caused_by); intake's columns must all be there.
  const errorColumns = await columnTypes(RECORD_ERRORS.table);
  for (const column of RECORD_ERRORS.columns) assert.ok(errorColumns.has(column), `record_errors.${column}`);
});

test('the columns the commit copies by name exist in the central table with the same type', async () => {
  for (const type of RECORD_TYPES) {
    const staged = await columnTypes(STAGING[type].table);
    const central = await columnTypes(STAGING[type].centralTable);
    assert.ok(centralColumns(type).length > 0);
    for (const column of centralColumns(type)) assert.equal(central.get(column), staged.get(column), `${type}.${column}`);
  }
});

test('imports take every phase of the life cycle and no other; staged rows are never marked imported', async () => {
  const { rows } = await db.query<{ id: string }>(
    `WITH p AS (INSERT INTO practices (name) VALUES ('Catalogue') RETURNING id)
     INSERT INTO imports (practice_id, source) SELECT id, 'brightmanager' FROM p RETURNING id`,
  );
  const id = rows[0]!.id;
  for (const phase of IMPORT_PHASES) await db.query('UPDATE imports SET phase = $2 WHERE id = $1', [id, phase]);
  await assert.rejects(db.query(`UPDATE imports SET phase = 'imported' WHERE id = $1`, [id]), /imports_phase_check/);
  await assert.rejects(
    db.query(`INSERT INTO staged_clients (import_id, batch_no, pos, valid, outcome) VALUES ($1, 1, 1, true, 'imported')`, [id]),
    /staged_clients_outcome_check/,
  );
});
