// Splitting a source record off its central record (SPEC §9, POST /v1/clients/{id}/split, /v1/contacts/{id}/split):
// it gets a central record of its own again, with its own values — the central record's, where it sent the same,
// and its kept values where it sent others (source_records."values") — and what came from its source goes with it:
//   roles   the roles that source record gave move to the new record (a role another source gave too stays, as
//           that source's: client_contacts keeps a row per source record that gave it);
//   addresses  an entry with links of that source only moves to the new record; one shared with another source
//           (or on a record that keeps another ref of that source) is copied, and the source's links move to the copy.
// Parameters: $1 practice id, $2 the central record split from, $3 source, then $4 ref (creating the record and
// relinking, $5 the new record's id) or $4 the new record's id (moving addresses; moving roles, $5 the ref).
import type { Queryable } from '../db/pool.ts';
import { KEPT_VALUES } from '../pipeline/match.sql.ts';
import type { ReviewRecordType } from '../contract/matches.contract.ts';
import { OWNER_COLUMN, ROLE_ENDS } from './match-merge.sql.ts';

const COLUMN_TYPES: Record<string, string> = { date_of_birth: 'date' };

/** A column of the source's own record: its kept value, else the central record's. */
const ownValue = (api: string, column: string, central: string) =>
  `coalesce(r."values"->>'${api}', ${central}.${column}::text)::${COLUMN_TYPES[column] ?? 'text'}`;

const theLink = (type: ReviewRecordType) =>
  `source_records r ON r.practice_id = $1 AND r.record_type = '${type}' AND r.source = $3 AND r.ref = $4`;

const createOwn = (type: ReviewRecordType) => `
  INSERT INTO ${type} (id, practice_id, ${KEPT_VALUES[type].map(([, column]) => column).join(', ')})
  SELECT time_ordered_uuid(), $1, ${KEPT_VALUES[type].map(([api, column]) => ownValue(api, column, 'c')).join(', ')}
    FROM ${type} c JOIN ${theLink(type)} AND r.central_id = c.id
   WHERE c.practice_id = $1 AND c.id = $2
  RETURNING id`;

const relink = (type: ReviewRecordType) => `
  UPDATE source_records SET central_id = $5, matched_by = 'split', matched_at = now(), "values" = NULL
   WHERE practice_id = $1 AND record_type = '${type}' AND source = $3 AND ref = $4 AND central_id = $2`;

/** The roles the split-off source record gave (client_contacts names it) go with it; the other sources' stay. */
const moveRoles = (type: ReviewRecordType) => {
  const { self, ref } = ROLE_ENDS[type];
  return `UPDATE client_contacts SET ${self} = $4 WHERE practice_id = $1 AND ${self} = $2 AND source = $3 AND ${ref} = $5`;
};

const ADDRESS_COLUMNS = ['kind', 'line1', 'line2', 'town', 'county', 'postcode', 'country', 'valid_from', 'valid_to'];
const ADDRESS_KEPT = new Map(KEPT_VALUES.addresses.map(([api, column]) => [column, api]));

const moveAddresses = (type: ReviewRecordType) => {
  const owner = OWNER_COLUMN[type];
  return `
  WITH theirs AS (
    SELECT a.id,
           CASE WHEN EXISTS (SELECT 1 FROM source_records o
                              WHERE o.practice_id = $1 AND o.record_type = 'addresses' AND o.central_id = a.id AND o.source <> $3)
                  -- the old record keeps another ref of the same source: which of its entries were whose is not known
                  OR EXISTS (SELECT 1 FROM source_records k
                              WHERE k.practice_id = $1 AND k.record_type = '${type}' AND k.central_id = $2 AND k.source = $3)
                THEN time_ordered_uuid() END AS copy_id
      FROM addresses a
     WHERE a.practice_id = $1 AND a.${owner} = $2
       AND EXISTS (SELECT 1 FROM source_records o
                    WHERE o.practice_id = $1 AND o.record_type = 'addresses' AND o.central_id = a.id AND o.source = $3)
  ), copies AS (
    INSERT INTO addresses (id, practice_id, ${owner}, ${ADDRESS_COLUMNS.join(', ')})
    SELECT t.copy_id, $1, $4, ${ADDRESS_COLUMNS.map((column) => {
      const api = ADDRESS_KEPT.get(column);
      return api ? ownValue(api, column, 'a') : `a.${column}`;
    }).join(', ')}
      FROM theirs t JOIN addresses a ON a.id = t.id
      LEFT JOIN LATERAL (SELECT o."values" FROM source_records o
                          WHERE o.practice_id = $1 AND o.record_type = 'addresses' AND o.central_id = a.id AND o.source = $3
                          ORDER BY o.ref LIMIT 1) r ON true
     WHERE t.copy_id IS NOT NULL
  ), relinked AS (
    UPDATE source_records o SET central_id = t.copy_id, "values" = NULL FROM theirs t
     WHERE t.copy_id IS NOT NULL AND o.practice_id = $1 AND o.record_type = 'addresses' AND o.central_id = t.id AND o.source = $3
  )
  UPDATE addresses a SET ${owner} = $4 FROM theirs t WHERE a.id = t.id AND t.copy_id IS NULL`;
};

/**
 * Gives the link ($3, $4) of `type`, on central record `from` (locked by the caller), a central record of its own;
 * returns the new record's id.
 */
export async function splitRecord(
  tx: Queryable,
  type: ReviewRecordType,
  practiceId: string,
  from: string,
  source: string,
  ref: string,
): Promise<string> {
  const params = [practiceId, from, source, ref];
  const { rows } = await tx.query<{ id: string }>(createOwn(type), params);
  const own = rows[0]!.id;
  await tx.query(relink(type), [...params, own]);
  await tx.query(moveRoles(type), [practiceId, from, source, own, ref]);
  await tx.query(moveAddresses(type), [practiceId, from, source, own]);
  return own;
}
