// Forward-only migrations: numbered plain-SQL files in db/migrations, applied in order at start-up.
// In the graphile-worker style: each file runs in its own transaction that first inserts its version row, under an
// advisory lock, so two servers starting at once neither apply a file twice nor see a half-migrated schema.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './pool.ts';
import { withTransaction } from './pool.ts';
import { lockMigrations, unlockMigrations } from './advisory-locks.sql.ts';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../db/migrations');

export interface Migration {
  version: number;
  name: string;
  file: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  return files.map((name) => {
    const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
    if (!match) throw new Error(`Migration file ${name} is not named like 0001_name.sql`);
    return { version: Number(match[1]), name, file: path.join(dir, name) };
  });
}

/** Applies the pending migrations; returns the ones applied (empty when the schema was current). */
export async function migrate(db: Db): Promise<Migration[]> {
  const migrations = await listMigrations();
  const lock = await db.connect();
  try {
    await lockMigrations(lock);
    await lock.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await lock.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: Migration[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      const sql = await fs.readFile(migration.file, 'utf8');
      await withTransaction(db, async (tx) => {
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await tx.query(sql);
      });
      applied.push(migration);
    }
    return applied;
  } finally {
    await unlockMigrations(lock).catch(() => {});
    lock.release();
  }
}
