// Reads of the review items (SPEC §9, GET /v1/matches): one statement per page, the candidates — the central
// records as they are now, side by side — aggregated with json_agg in their API shape, like clients.sql.ts.
import type { MatchCandidate, MatchEvidence, MatchItem } from '../contract/matches.contract.ts';
import type { Queryable } from '../db/pool.ts';
import { sourcesOf } from './clients.sql.ts';

export interface MatchRow {
  id: string;
  kind: MatchItem['kind'];
  record_type: MatchItem['recordType'];
  status: MatchItem['status'];
  records: string[];
  evidence: MatchEvidence[];
  candidates: MatchCandidate[];
  created_at: Date;
  /** created_at as PostgreSQL writes it, to the microsecond (a Date keeps milliseconds): the page's keyset */
  created_key: string;
  decided_at: Date | null;
  /** the deciding user's email; null while open and for a superseded item */
  decided_by: string | null;
  resolution: MatchItem['resolution'];
}

// `m` is the review item; a record merged away since is simply not found.
const clientCandidates = `
  (SELECT coalesce(json_agg(json_build_object(
            'id', x.id, 'name', x.name,
            'fields', json_build_object('clientReference', x.client_reference, 'clientType', x.client_type,
                        'companyNumber', x.company_number, 'utr', x.utr, 'vatNumber', x.vat_number, 'email', x.email,
                        'phone', x.phone, 'website', x.website),
            'postcodes', (SELECT coalesce(json_agg(DISTINCT a.postcode), '[]') FROM addresses a
                           WHERE a.client_id = x.id AND a.practice_id = x.practice_id),
            'sources', ${sourcesOf('clients')}) ORDER BY array_position(m.records, x.id)), '[]')
     FROM clients x WHERE x.practice_id = m.practice_id AND x.id = ANY (m.records))`;

// The NI number shows its last three characters only, as in the evidence (match-review.sql.ts).
const contactCandidates = `
  (SELECT coalesce(json_agg(json_build_object(
            'id', x.id, 'name', concat_ws(' ', x.first_name, x.last_name),
            'fields', json_build_object('title', x.title, 'firstName', x.first_name, 'lastName', x.last_name,
                        'email', x.email, 'phone', x.phone, 'dateOfBirth', x.date_of_birth,
                        'niNumber', CASE WHEN x.ni_number IS NOT NULL THEN '******' || right(x.ni_number, 3) END),
            'postcodes', (SELECT coalesce(json_agg(DISTINCT a.postcode), '[]') FROM addresses a
                           WHERE a.contact_id = x.id AND a.practice_id = x.practice_id),
            'sources', ${sourcesOf('contacts')}) ORDER BY array_position(m.records, x.id)), '[]')
     FROM contacts x WHERE x.practice_id = m.practice_id AND x.id = ANY (m.records))`;

const MATCH_COLUMNS = `m.id, m.kind, m.record_type, m.status, m.records, m.evidence, m.created_at, m.created_at::text AS created_key,
  m.decided_at, m.decided_by,
  m.resolution, CASE m.record_type WHEN 'clients' THEN ${clientCandidates} ELSE ${contactCandidates} END AS candidates`;

/** A page of the practice's items of `status`, oldest first (created_at, id), after the keyset `after`. */
export async function selectMatches(
  db: Queryable,
  practiceId: string,
  status: MatchItem['status'],
  after: { createdAt: string; id: string } | null,
  limit: number,
): Promise<MatchRow[]> {
  const { rows } = await db.query<MatchRow>(
    `SELECT ${MATCH_COLUMNS}
       FROM (SELECT * FROM match_reviews
              WHERE practice_id = $1 AND status = $2 AND ($3::timestamptz IS NULL OR (created_at, id) > ($3, $4::uuid))
              ORDER BY created_at, id LIMIT $5) m
      ORDER BY m.created_at, m.id`,
    [practiceId, status, after?.createdAt ?? null, after?.id ?? null, limit],
  );
  return rows;
}

export async function selectMatch(db: Queryable, practiceId: string, id: string): Promise<MatchRow | null> {
  const { rows } = await db.query<MatchRow>(`SELECT ${MATCH_COLUMNS} FROM match_reviews m WHERE m.practice_id = $1 AND m.id = $2`, [
    practiceId,
    id,
  ]);
  return rows[0] ?? null;
}
