// Baselines measured in the same run as the import, on the same database: the import's valid rows copied with COPY
// into empty tables shaped like the central tables (same columns and indexes), and a sample inserted one row per
// INSERT. Both read the rows back from the central tables the import just filled.
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const TABLES = ['clients', 'contacts', 'client_contacts', 'addresses'];

async function emptyLike(db: pg.Client, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  for (const table of TABLES) await db.query(`CREATE TABLE ${schema}.${table} (LIKE public.${table} INCLUDING ALL)`);
}

/** The central rows of the import, as COPY text (the generated search column is left to PostgreSQL). */
async function exportRows(db: pg.Client, table: string): Promise<{ columns: string[]; text: string; rows: number }> {
  const { rows: cols } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  const columns = cols.map((c) => c.column_name);
  const chunks: Buffer[] = [];
  const stream = db.query(copyStreams.to(`COPY (SELECT ${columns.join(', ')} FROM public.${table}) TO STDOUT`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return { columns, text, rows: text === '' ? 0 : text.split('\n').length - 1 };
}

export async function copyBaseline(db: pg.Client, _importId: string): Promise<{ rows: number; ms: number }> {
  await emptyLike(db, 'bench_copy');
  const data = [];
  for (const table of TABLES) data.push({ table, ...(await exportRows(db, table)) });
  const started = performance.now();
  await db.query('BEGIN');
  for (const { table, columns, text } of data) {
    await pipeline(Readable.from([text]), db.query(copyStreams.from(`COPY bench_copy.${table} (${columns.join(', ')}) FROM STDIN`)));
  }
  await db.query('COMMIT');
  const ms = performance.now() - started;
  await db.query('DROP SCHEMA bench_copy CASCADE');
  return { rows: data.reduce((n, d) => n + d.rows, 0), ms };
}

export async function perRowBaseline(db: pg.Client, _importId: string, sample: number): Promise<{ rows: number; ms: number }> {
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
