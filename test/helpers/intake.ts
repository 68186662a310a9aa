// What the intake tests share: what an import left stored (for "nothing stored" on refusals), a fresh import
// with its source's client, and small client records. Bound to a file's test app through `app()`, since each
// test file starts its own.
import { backgroundStagingDone } from '../../src/intake/stage-batch.ts';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import type { Row } from './database.ts';
import { json } from './json.ts';
import { createSource, sourceClient, type TestApp } from './test-app.ts';

export const LIMIT = 10_485_760;

export type Client = ReturnType<typeof sourceClient>;

export interface Stored {
  batches: number;
  clients: number;
  contacts: number;
  links: number;
  addresses: number;
  errors: number;
  received: number;
  invalid: number;
}

export const NOTHING: Stored = { batches: 0, clients: 0, contacts: 0, links: 0, addresses: 0, errors: 0, received: 0, invalid: 0 };

export function client(ref: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ref, clientReference: `REF-${ref}`, name: `Client ${ref}`, clientType: 'limited_company', ...extra };
}

export function clients(...refs: string[]): { type: 'clients'; records: Record<string, unknown>[] } {
  return { type: 'clients', records: refs.map((r) => client(r)) };
}

export const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A valid one-record clients batch padded with trailing whitespace to exactly `size` bytes. */
export function paddedBatch(size: number): Buffer {
  const base = JSON.stringify(clients('C-PAD'));
  assert.ok(base.length < size);
  const body = Buffer.from(base + ' '.repeat(size - Buffer.byteLength(base)));
  assert.equal(body.length, size);
  return body;
}

export function intakeHelpers(app: () => TestApp) {
  async function stored(importId: string): Promise<Stored> {
    await backgroundStagingDone(importId); // answered batches are held first, staged just after
    const { rows } = await app().db.query<Stored>(
      `SELECT
         (SELECT count(*)::int FROM batches WHERE import_id = $1) AS batches,
         (SELECT count(*)::int FROM staged_clients WHERE import_id = $1) AS clients,
         (SELECT count(*)::int FROM staged_contacts WHERE import_id = $1) AS contacts,
         (SELECT count(*)::int FROM staged_contact_links WHERE import_id = $1) AS links,
         (SELECT count(*)::int FROM staged_addresses WHERE import_id = $1) AS addresses,
         (SELECT count(*)::int FROM record_errors WHERE import_id = $1) AS errors,
         (SELECT coalesce(sum(received), 0)::int FROM import_counts WHERE import_id = $1) AS received,
         (SELECT coalesce(sum(invalid), 0)::int FROM import_counts WHERE import_id = $1) AS invalid`,
      [importId],
    );
    return rows[0]!;
  }

  async function assertNothingStored(importId: string): Promise<void> {
    assert.deepEqual(await stored(importId), NOTHING);
  }

  /** Whole-database totals, for refusals whose import id is not the caller's (or does not exist). */
  async function totals(): Promise<Row> {
    const { rows } = await app().db.query<Row>(
      `SELECT (SELECT count(*)::int FROM batches) AS batches,
              (SELECT count(*)::int FROM staged_clients) AS clients,
              (SELECT count(*)::int FROM staged_contacts) AS contacts,
              (SELECT count(*)::int FROM staged_addresses) AS addresses,
              (SELECT coalesce(sum(received), 0)::int FROM import_counts) AS received`,
    );
    return rows[0]!;
  }

  async function newImport(source = 'brightmanager'): Promise<{ c: Client; id: string; token: string; practiceId: string }> {
    const { token, practiceId } = await createSource(app().db, source);
    const c = sourceClient(app().app, token);
    const res = await c.startImport();
    assert.equal(res.statusCode, 201, res.body);
    return { c, id: json<ImportView>(res).id, token, practiceId };
  }

  return { stored, assertNothingStored, totals, newImport };
}
