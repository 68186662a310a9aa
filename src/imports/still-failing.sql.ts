// What is still wrong (SPEC §5 `stillFailing`): an import's failed records whose ref no import of the same practice
// and source has imported since — the failed refs of §3 — counted per record, so they compare with `failed`. A
// record without a ref can never be imported under it, so it stays failing. Set-based over a whole list of imports:
// one anti-join of their error rows against the source keys, never a query per import. Only completed imports
// have final failures; the others count none yet. A dry run claims no keys: its rows of refs it would have
// imported are marked instead (migration 0041).

/**
 * Per import of the relation `listed` (imports rows): `still_failing`, a JSON object of counts per record type, and
 * `still_failing_total`. To be used as a CTE body.
 */
export const stillFailingOf = (listed: string) => `
  SELECT f.import_id, jsonb_object_agg(f.record_type, f.records) AS still_failing, sum(f.records)::int AS still_failing_total
    FROM (SELECT e.import_id, e.record_type, count(DISTINCT (e.batch_no, e.pos))::int AS records
            FROM ${listed} i
            JOIN record_errors e ON e.import_id = i.id
           WHERE i.status = 'completed' AND i.failed_total > 0 AND NOT e.dry_run_imported
             AND NOT EXISTS (SELECT 1 FROM source_records r
                              WHERE r.practice_id = i.practice_id AND r.source = i.source
                                AND r.record_type = e.record_type AND r.ref = e.ref)
           GROUP BY e.import_id, e.record_type) f
   GROUP BY f.import_id`;
