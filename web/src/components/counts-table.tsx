import type { Import, RecordType } from '../api.ts';
import { formatNumber, RECORD_TYPE_LABELS } from '../format.ts';

const TYPES: RecordType[] = ['clients', 'contacts', 'addresses'];

/** Received / imported / failed / still failing / skipped per record type; for a dry run, what would happen. */
export function CountsTable({ imp }: { imp: Import }) {
  const [imported, failed, skipped] = imp.dryRun
    ? ['Would be imported', 'Would fail', 'Would be skipped']
    : ['Imported', 'Failed', 'Skipped'];
  return (
    <div className="table-scroll">
      <table className="counts">
        <caption className="visually-hidden">Records per type</caption>
        <thead>
          <tr>
            <th scope="col">Record type</th>
            <th scope="col">Received</th>
            <th scope="col">{imported}</th>
            <th scope="col">{failed}</th>
            {!imp.dryRun && <th scope="col">Still failing</th>}
            <th scope="col">{skipped}</th>
          </tr>
        </thead>
        <tbody>
          {TYPES.map((type) => {
            const c = imp.counts[type];
            return (
              <tr key={type} data-type={type}>
                <th scope="row">{RECORD_TYPE_LABELS[type]}</th>
                <td data-label="Received">{formatNumber(c.received)}</td>
                <td data-label={imported}>{formatNumber(c.imported)}</td>
                <td data-label={failed} className={c.failed > 0 ? 'failed' : undefined}>
                  {formatNumber(c.failed)}
                </td>
                {!imp.dryRun && (
                  <td data-label="Still failing" className={c.stillFailing > 0 ? 'failed' : undefined}>
                    {imp.status === 'completed' ? formatNumber(c.stillFailing) : '–'}
                  </td>
                )}
                <td data-label={skipped}>{formatNumber(c.skipped)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
