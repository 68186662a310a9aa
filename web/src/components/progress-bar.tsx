import { formatPercent } from '../format.ts';

/**
 * A progress bar; the value is also written out, so it never depends on colour alone. Without a `value` it is
 * indeterminate (a moving stripe, no aria-valuenow) and `text` says what is known, e.g. records received so far.
 */
export function ProgressBar({
  value,
  label,
  tone = 'active',
  text,
}: {
  value: number | null;
  label: string;
  tone?: 'active' | 'done' | 'warning';
  text?: string;
}) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  const shown = text ?? (value === null ? '' : formatPercent(value));
  return (
    <div className="progress">
      <div
        className={`progress-track progress-${tone}${percent === null ? ' progress-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={shown || undefined}
      >
        <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <span className="progress-value" aria-hidden="true">
        {shown}
      </span>
    </div>
  );
}
