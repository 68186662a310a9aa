import { formatPercent } from '../format.ts';

/** A determinate progress bar; the percentage is also written out, so it never depends on colour alone. */
export function ProgressBar({ value, label, tone = 'active' }: { value: number; label: string; tone?: 'active' | 'done' | 'warning' }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="progress">
      <div
        className={`progress-track progress-${tone}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={formatPercent(value)}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-value" aria-hidden="true">
        {formatPercent(value)}
      </span>
    </div>
  );
}
