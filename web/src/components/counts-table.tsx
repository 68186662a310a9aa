import type { Import, RecordType } from '../api.ts';
import { formatNumber, RECORD_TYPE_LABELS } from '../format.ts';

const TYPES: RecordType[] = ['clients', 'contacts', 'addresses'];

/** Received / imported / failed / still failing / skipped per record type. */
export function CountsTable({ imp }: { imp: Import }) {
  return (
    <div className="table-scroll">
      <table className="counts">
        <caption className="visually-hidden">Records per type</caption>
        <thead>
          <tr>
            <th scope="col">Record type</th>
            <th scope="col">Received</th>
            <th scope="col">Imported</th>
            <th scope="col">Failed</th>
            <th scope="col">Still failing</th>
            <th scope="col">Skipped</th>
          </tr>
        </thead>
        <tbody>
          {TYPES.map((type) => {
            const c = imp.counts[type];
            return (
              <tr key={type} data-type={type}>
                <th scope="row">{RECORD_TYPE_LABELS[type]}</th>
                <td data-label="Received">{formatNumber(c.received)}</td>
                <td data-label="Imported">{formatNumber(c.imported)}</td>
                <td data-label="Failed" className={c.failed > 0 ? 'failed' : undefined}>
                  {formatNumber(c.failed)}
                </td>
                <td data-label="Still failing" className={c.stillFailing > 0 ? 'failed' : undefined}>
                  {imp.status === 'completed' ? formatNumber(c.stillFailing) : '–'}
                </td>
                <td data-label="Skipped">{formatNumber(c.skipped)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
