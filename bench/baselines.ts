// Baselines measured in the same run as the import, on the same database: the import's valid rows copied with COPY
// into empty tables shaped like the central tables (same columns, primary keys and indexes — search included — but
// not the indexes added for matching, so that slowing the baseline can never improve the ratio), and a sample
// inserted one row per INSERT. Both read the rows back from the central tables: the rows of the import's records.
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const TABLES = ['clients', 'contacts', 'client_contacts', 'addresses'];
/** Added for matching (db/migrations/0030_matching.sql; its other three went in 0067): not part of the baseline. */
const MATCHING_INDEXES = new Set(['clients_practice_utr', 'clients_practice_vat_root']);

/** Empty copies of the central tables with their indexes less the matching ones; returns the indexes' names. */
async function emptyLike(db: pg.Client, schema: string): Promise<string[]> {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename, indexname`,
    [TABLES],
  );
  for (const table of TABLES) await db.query(`CREATE TABLE ${schema}.${table} (LIKE public.${table} INCLUDING ALL EXCLUDING INDEXES)`);
  const kept = rows.filter((r) => !MATCHING_INDEXES.has(r.indexname));
  for (const { indexdef } of kept) await db.query(indexdef.replace(/ ON public\./, ` ON ${schema}.`));
  return kept.map((r) => r.indexname);
}

/**
 * Which rows of each table are the import's: its records' central records, and the roles between them that its
 * source gave (since 0066 a role names the source that gave it; the other product's roles between the same
 * records are not the import's rows, and were counted too).
 */
const OF_IMPORT: Record<string, string> = {
  clients: 'id IN (SELECT central_id FROM source_records WHERE import_id = $1)',
  contacts: 'id IN (SELECT central_id FROM source_records WHERE import_id = $1)',
  addresses: 'id IN (SELECT central_id FROM source_records WHERE import_id = $1)',
  client_contacts:
    'contact_id IN (SELECT central_id FROM source_records WHERE import_id = $1) AND client_id IN (SELECT central_id FROM source_records WHERE import_id = $1)' +
    ' AND source = (SELECT source FROM imports WHERE id = $1)',
};

/** The central rows of the import, as COPY text (generated columns are left to PostgreSQL). */
async function exportRows(db: pg.Client, table: string, importId: string): Promise<{ columns: string[]; text: string; rows: number }> {
  const { rows: cols } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  const columns = cols.map((c) => c.column_name);
  const chunks: Buffer[] = [];
  // The import id is a uuid the benchmark got from the server; COPY takes no parameters.
  if (!/^[0-9a-f-]{36}$/.test(importId)) throw new Error(`not an import id: ${importId}`);
  const where = OF_IMPORT[table]!.replaceAll('$1', `'${importId}'`);
  const stream = db.query(copyStreams.to(`COPY (SELECT ${columns.join(', ')} FROM public.${table} WHERE ${where}) TO STDOUT`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return { columns, text, rows: text === '' ? 0 : text.split('\n').length - 1 };
}

export async function copyBaseline(db: pg.Client, importId: string): Promise<{ rows: number; ms: number; indexes: string[] }> {
  const indexes = await emptyLike(db, 'bench_copy');
  const data = [];
  for (const table of TABLES) data.push({ table, ...(await exportRows(db, table, importId)) });
  const started = performance.now();
  await db.query('BEGIN');
  for (const { table, columns, text } of data) {
    await pipeline(Readable.from([text]), db.query(copyStreams.from(`COPY bench_copy.${table} (${columns.join(', ')}) FROM STDIN`)));
  }
  await db.query('COMMIT');
  const ms = performance.now() - started;
  await db.query('DROP SCHEMA bench_copy CASCADE');
  return { rows: data.reduce((n, d) => n + d.rows, 0), ms, indexes };
}

export async function perRowBaseline(db: pg.Client, sample: number): Promise<{ rows: number; ms: number }> {
  await emptyLike(db, 'bench_rows');
  const perTable = Math.ceil(sample / TABLES.length);
  const data = [];
  for (const table of TABLES) {
    const { rows: cols } = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
      [table],
    );
    const columns = cols.map((c) => c.column_name);
    const rows = (
      await db.query({ text: `SELECT ${columns.join(', ')} FROM public.${table} LIMIT $1`, values: [perTable], rowMode: 'array' })
    ).rows;
    data.push({ table, columns, rows });
  }
  const started = performance.now();
  let count = 0;
  await db.query('BEGIN');
  for (const { table, columns, rows } of data) {
    const text = `INSERT INTO bench_rows.${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    for (const values of rows) {
      await db.query(text, values);
      count++;
    }
  }
  await db.query('COMMIT');
  const ms = performance.now() - started;
  await db.query('DROP SCHEMA bench_rows CASCADE');
  return { rows: count, ms };
}
