// A fresh database per test file, cloned from the migrated template that scripts/test.ts built.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.BRIGHTCLIENT_TEST_SERVER;
  const template = process.env.BRIGHTCLIENT_TEST_TEMPLATE;
  if (!server || !template) throw new Error('Run the tests with `npm test` (it prepares the database server).');
  const name = `bct_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // Waits for the file's own connections to finish closing (pools close asynchronously); forcing at once would
    // terminate them and surface "terminating connection due to administrator command" in the closing client.
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        for (let attempt = 0; attempt < 50; attempt++) {
          const inUse = await c.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name]);
          if (inUse.rowCount === 0) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A row a test reads back only to compare: its columns as PostgreSQL gives them. */
export type Row = Record<string, unknown>;
