// Merging two central records into one (SPEC §9, POST /v1/matches/{id}/merge): the older survives; the other's
// source links, roles and address history move to it, and the values it held that differ become those sources'
// kept values (the survivor's values stand, its empty fields are filled — as when a later source joins at commit,
// match.sql.ts). The merged-away id is kept in merged_records, so its GET answers 404 with `mergedInto`.
// One statement per step, each over all the rows of the two records, in the caller's transaction.
// Parameters: $1 practice id, $2 survivor id, $3 merged-away id.
import type { Queryable } from '../db/pool.ts';
import { FILLABLE, KEPT_VALUES } from '../pipeline/match.sql.ts';
import type { ReviewRecordType } from '../contract/matches.contract.ts';

/** A record type's end of a role in client_contacts, and the ref of its source record that gave the role. */
export const ROLE_ENDS = {
  clients: { self: 'client_id', ref: 'client_ref' },
  contacts: { self: 'contact_id', ref: 'contact_ref' },
} as const;

/** The owner column of an address history entry. */
export const OWNER_COLUMN = { clients: 'client_id', contacts: 'contact_id' } as const;

/**
 * A link `r`'s kept values once its record `b` joins `a`: what its source sent — its own kept value, else `b`'s —
 * where that differs from `a`'s value (and `a` has one), as a JSON object or null.
 */
const keptValues = (type: ReviewRecordType | 'addresses') =>
  `nullif(jsonb_strip_nulls(jsonb_build_object(${KEPT_VALUES[type]
    .map(([api, column]) => {
      const sent = `coalesce(r."values"->>'${api}', b.${column}::text)`;
      return `'${api}', CASE WHEN a.${column} IS NOT NULL AND ${sent} IS DISTINCT FROM a.${column}::text THEN ${sent} END`;
    })
    .join(', ')})), '{}')`;

const relinkSources = (type: ReviewRecordType) => `
  UPDATE source_records r SET central_id = a.id, matched_by = 'review', matched_at = now(), "values" = ${keptValues(type)}
    FROM ${type} a, ${type} b
   WHERE a.id = $2 AND b.id = $3 AND r.practice_id = $1 AND r.record_type = '${type}' AND r.central_id = b.id`;

const fillEmpty = (type: ReviewRecordType) => `
  UPDATE ${type} a SET ${FILLABLE[type].map((f) => `${f} = coalesce(a.${f}, b.${f})`).join(', ')}
    FROM ${type} b
   WHERE a.id = $2 AND b.id = $3 AND a.practice_id = $1
     AND (${FILLABLE[type].map((f) => `(a.${f} IS NULL AND b.${f} IS NOT NULL)`).join(' OR ')})`;

/**
 * The merged-away record's roles move to the survivor with the source records that gave them (a role both had is
 * then two rows, one per source record, as at commit), so a later split or undo takes exactly its own.
 */
const moveRoles = (type: ReviewRecordType) =>
  `UPDATE client_contacts SET ${ROLE_ENDS[type].self} = $2 WHERE practice_id = $1 AND ${ROLE_ENDS[type].self} = $3`;

/**
 * The merged-away record's address history: an entry equal to one the survivor has (kind, first line, postcode,
 * dates — the commit's rule) joins it, its links moving to that entry with their kept values; the others move.
 */
const moveAddresses = (type: ReviewRecordType) => {
  const owner = OWNER_COLUMN[type];
  return `
  WITH entries AS (
    SELECT b.id AS from_id,
           (SELECT a.id FROM addresses a
             WHERE a.practice_id = $1 AND a.${owner} = $2 AND a.postcode = b.postcode AND a.kind IS NOT DISTINCT FROM b.kind
               AND lower(a.line1) = lower(b.line1) AND a.valid_from = b.valid_from AND a.valid_to IS NOT DISTINCT FROM b.valid_to
             ORDER BY a.id LIMIT 1) AS to_id
      FROM addresses b WHERE b.practice_id = $1 AND b.${owner} = $3
  ), relinked AS (
    UPDATE source_records r SET central_id = a.id, matched_by = 'review', matched_at = now(), "values" = ${keptValues('addresses')}
      FROM entries e JOIN addresses a ON a.id = e.to_id JOIN addresses b ON b.id = e.from_id
     WHERE r.practice_id = $1 AND r.record_type = 'addresses' AND r.central_id = e.from_id
  ), joined AS (
    DELETE FROM addresses d USING entries e WHERE d.id = e.from_id AND e.to_id IS NOT NULL
  )
  UPDATE addresses m SET ${owner} = $2 FROM entries e WHERE m.id = e.from_id AND e.to_id IS NULL`;
};

/**
 * Other open items about the merged-away record are now about the survivor; one that would repeat an existing
 * item, or pair the survivor with itself, is closed as superseded. Parameter $4: the merged item's id.
 */
const carryOverItems = (type: ReviewRecordType) => `
  WITH carried AS (
    SELECT m.id, array(SELECT DISTINCT CASE WHEN x = $3 THEN $2::uuid ELSE x END FROM unnest(m.records) x ORDER BY 1) AS records
      FROM match_reviews m
     WHERE m.practice_id = $1 AND m.record_type = '${type}' AND m.status = 'open' AND $3 = ANY (m.records) AND m.id <> $4
  ), moved AS (
    UPDATE match_reviews m SET records = c.records FROM carried c
     WHERE m.id = c.id AND cardinality(c.records) >= 2
       AND NOT EXISTS (SELECT 1 FROM match_reviews o WHERE o.practice_id = $1 AND o.record_type = '${type}' AND o.records = c.records)
    RETURNING m.id
  )
  UPDATE match_reviews m SET status = 'closed', resolution = 'superseded', decided_at = now()
    FROM carried c WHERE m.id = c.id AND c.id NOT IN (SELECT id FROM moved)`;

/** merged_records: the merged-away id, and every id merged into it before, now name the survivor. */
const rememberMerge = (type: ReviewRecordType) => `
  WITH earlier AS (UPDATE merged_records SET merged_into = $2 WHERE practice_id = $1 AND merged_into = $3)
  INSERT INTO merged_records (practice_id, record_type, id, merged_into) VALUES ($1, '${type}', $3, $2)`;

/** The merged-away record's history of merges, keep-aparts and splits goes on with the survivor's. */
const carryOverActions = (type: ReviewRecordType) => `
  UPDATE record_actions SET central_id = $2 WHERE practice_id = $1 AND record_type = '${type}' AND central_id = $3`;

// Its roles and addresses have moved: nothing cascades from it any more.
const removeMerged = (type: ReviewRecordType) => `DELETE FROM ${type} WHERE practice_id = $1 AND id = $3 AND id <> $2`;

/** Merges `mergedAway` into `survivor` (both locked by the caller), while deciding the item `matchId`. */
export async function mergeRecords(
  tx: Queryable,
  type: ReviewRecordType,
  practiceId: string,
  survivor: string,
  mergedAway: string,
  matchId: string,
): Promise<void> {
  const params = [practiceId, survivor, mergedAway];
  for (const statement of [relinkSources, fillEmpty, moveRoles, moveAddresses, rememberMerge, carryOverActions]) {
    await tx.query(statement(type), params);
  }
  await tx.query(carryOverItems(type), [...params, matchId]);
  await tx.query(removeMerged(type), params);
}
