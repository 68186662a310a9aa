// The error rows of an import in file order (clients, contacts, addresses; batch; position; field), read in pages
// by keyset so an import with a million failures is streamed, never held in memory.
import type { Queryable } from '../db/pool.ts';
import type { RecordType } from '../contract/records.ts';

export interface ErrorRow {
  type_order: number;
  record_type: RecordType;
  batch_no: number;
  pos: number;
  field: string;
  code: string;
  ref: string | null;
  record_name: string | null;
  client_reference: string | null;
  reason: string;
}

export type ErrorRowKey = Pick<ErrorRow, 'type_order' | 'batch_no' | 'pos' | 'field'>;

export async function selectErrorPage(db: Queryable, importId: string, after: ErrorRowKey | null, limit: number): Promise<ErrorRow[]> {
  const { rows } = await db.query<ErrorRow>(
    `SELECT * FROM (
       SELECT array_position(ARRAY['clients', 'contacts', 'addresses'], record_type) AS type_order,
              record_type, batch_no, pos, field, code, ref, record_name, client_reference, reason
         FROM record_errors WHERE import_id = $1) e
      WHERE $2::int IS NULL OR (type_order, batch_no, pos, field) > ($2, $3, $4, $5)
      ORDER BY type_order, batch_no, pos, field
      LIMIT $6`,
    [importId, after?.type_order ?? null, after?.batch_no ?? null, after?.pos ?? null, after?.field ?? null, limit],
  );
  return rows;
}
