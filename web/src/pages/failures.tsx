// The practice's open failures: every record still failing, across imports and sources, grouped by reason with the
// root causes before the knock-on failures, filterable by source, type and reason (kept in the address, so a
// filtered view can be shared), each row linking to its import, and the download of exactly the filtered rows.
import { useState } from 'react';
import { api, failuresFileUrl, type FailureFilter, type FailureGroupView, type RecordType } from '../api.ts';
import { codeLabel, formatNumber, plural, reasonLabel, RECORD_TYPE_LABELS, sourceLabel } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';

const PAGE = 200;
const TYPES: RecordType[] = ['clients', 'contacts', 'addresses'];

function filterOf(params: URLSearchParams): FailureFilter {
  const type = params.get('type') ?? '';
  return {
    source: params.get('source') ?? '',
    type: (TYPES as string[]).includes(type) ? (type as RecordType) : '',
    code: params.get('code') ?? '',
  };
}

function hrefOf(filter: FailureFilter): string {
  const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== '')).toString();
  return q ? `/failures?${q}` : '/failures';
}

export function FailuresPage() {
  const heading = usePageTitle('Failures');
  const { params } = useLocation();
  const filter = filterOf(params);
  const key = hrefOf(filter);
  const [limit, setLimit] = useState(PAGE);
  const groups = useResource(`groups:${key}`, () => api.failureGroups(filter));
  const rows = useResource(`rows:${key}:${limit}`, () => api.failures(filter, limit));
  // The choices of the source filter: every source the practice has failures from (without a source filter).
  const sources = useResource('failure-sources', async () => {
    const listed = await api.imports(200);
    return [...new Set(listed.map((i) => i.source))].sort();
  });
  const set = (change: Partial<FailureFilter>) => {
    setLimit(PAGE);
    navigate(hrefOf({ ...filter, ...change }), { replace: true });
  };

  const all = groups.data ?? [];
  const totalRows = all.reduce((n, g) => n + g.rows, 0);
  const totalRecords = all.reduce((n, g) => n + g.records, 0);
  const roots = all.filter((g) => g.rootCause);
  const knockOn = all.filter((g) => !g.rootCause);
  const codes = [...new Set(all.map((g) => g.code))];

  return (
    <div className="page failures-page">
      <h1 ref={heading} tabIndex={-1}>
        Failures
      </h1>
      <p className="muted">
        Every record still failing, across all imports. Fix the root causes in the source product and retry the import: the records that
        failed because of them come in with them.
      </p>

      <form className="filters card" aria-label="Filter the failures" onSubmit={(e) => e.preventDefault()}>
        <label>
          Source
          <select value={filter.source} onChange={(e) => set({ source: e.target.value })}>
            <option value="">All sources</option>
            {(sources.data ?? []).map((s) => (
              <option key={s} value={s}>
                {sourceLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Record type
          <select value={filter.type} onChange={(e) => set({ type: e.target.value as RecordType | '' })}>
            <option value="">All types</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {RECORD_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reason
          <select value={filter.code} onChange={(e) => set({ code: e.target.value })}>
            <option value="">All reasons</option>
            {[...new Set([...codes, ...(filter.code ? [filter.code] : [])])].map((c) => (
              <option key={c} value={c}>
                {codeLabel(c)}
              </option>
            ))}
          </select>
        </label>
        {(filter.source || filter.type || filter.code) && (
          <button type="button" className="secondary small" onClick={() => set({ source: '', type: '', code: '' })}>
            Clear filters
          </button>
        )}
      </form>

      {groups.error && <p role="alert">{groups.error}</p>}
      {groups.data && all.length === 0 && (
        <p className="notice" role="status">
          Nothing is failing{filter.source || filter.type || filter.code ? ' with these filters' : ''}: every record that failed has been
          imported since.
        </p>
      )}
      {all.length > 0 && (
        <section className="card" aria-labelledby="reasons-title">
          <h2 id="reasons-title">
            {plural(totalRecords, 'record')} still failing
            {filter.source ? ` from ${sourceLabel(filter.source)}` : ''}
          </h2>
          <GroupList title="Root causes: fix these" groups={roots} onPick={(code) => set({ code })} />
          <GroupList
            title="Failed because a record they depend on failed"
            groups={knockOn}
            onPick={(code) => set({ code })}
            note="They come in with their parent once it is fixed and retried."
          />
          <div className="actions">
            <a className="button" href={failuresFileUrl(filter)} download>
              Download these {plural(totalRows, 'row')} (CSV)
            </a>
            <a className="button secondary" href={failuresFileUrl(filter, 'xlsx')} download>
              Download (Excel)
            </a>
            <span className="muted">One row per failing field, the same filters as shown here.</span>
          </div>
        </section>
      )}

      {rows.data && rows.data.length > 0 && (
        <section className="card" aria-labelledby="rows-title">
          <h2 id="rows-title">The failing fields</h2>
          <div className="table-scroll">
            <table className="failures">
              <caption className="visually-hidden">Failing fields, root causes first</caption>
              <thead>
                <tr>
                  <th scope="col">Record</th>
                  <th scope="col">Client reference</th>
                  <th scope="col">Field</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Import</th>
                </tr>
              </thead>
              <tbody>
                {rows.data.map((r) => (
                  <tr key={`${r.import_id}/${r.batch}/${r.position}/${r.field}/${r.code}`} className={r.caused_by ? 'knock-on' : undefined}>
                    <th scope="row">
                      {r.record_name ?? r.record_ref ?? '(no name)'}
                      <span className="muted">
                        {' '}
                        {codeLabel(r.record_type)} · {r.record_ref ?? 'no ref'}
                      </span>
                    </th>
                    <td data-label="Client reference">{r.client_reference ?? '–'}</td>
                    <td data-label="Field">
                      <code>{r.field || '(record)'}</code>
                    </td>
                    <td data-label="Reason">
                      {r.reason}
                      {r.caused_by && <span className="muted"> Root cause: {r.caused_by}.</span>}
                    </td>
                    <td data-label="Import">
                      <Link href={`/imports/${r.import_id}`}>{sourceLabel(r.source)} import</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.data.length < totalRows && (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setLimit((n) => n + PAGE)}>
                Show {formatNumber(Math.min(PAGE, totalRows - rows.data.length))} more
              </button>
              <span className="muted">
                {formatNumber(rows.data.length)} of {formatNumber(totalRows)} rows shown; the download has all of them.
              </span>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function GroupList({
  title,
  groups,
  onPick,
  note,
}: {
  title: string;
  groups: FailureGroupView[];
  onPick: (code: string) => void;
  note?: string;
}) {
  if (groups.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      {note && <p className="muted">{note}</p>}
      <ul className="reason-list">
        {groups.map((g) => (
          <li key={`${g.code}/${g.recordType}/${g.field}`}>
            <button type="button" className="link-button" onClick={() => onPick(g.code)}>
              {reasonLabel(g.code, g.records)}
            </button>
            <span className="muted">
              {' '}
              {RECORD_TYPE_LABELS[g.recordType].toLowerCase()} · <code>{g.field || '(record)'}</code>
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
