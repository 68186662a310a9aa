// What a person sees while an export goes up and is processed: two progress bars on a terminal (upload, then
// processing), plain log lines otherwise (CI, a file), and a summary table at the end.
import cliProgress from 'cli-progress';
import { RECORD_TYPES } from '../contract.generated.ts';
import type { ImportView, SendEvent, SendResult } from '../index.ts';
import { count } from './wording.ts';

const number = (n: number) => n.toLocaleString('en-GB');
export const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface Progress {
  /** Upload events of the SDK. */
  onSend(event: SendEvent): void;
  uploadDone(result: SendResult): void;
  /** Import objects while it is processed. */
  onProcessing(view: ImportView): void;
  /** A line that must not be drawn over by the bars. */
  log(line: string): void;
  stop(): void;
}

interface Tally {
  exportBytes: number;
  doneBytes: number;
  /** Export bytes of the batches on the wire, not yet acknowledged: the bar moves while a batch goes up. */
  sendingBytes: Map<number, number>;
  batches: number;
  records: number;
  uploaded: number;
  startedAt: number;
}

export function createProgress(options: { exportBytes: number; stream?: NodeJS.WriteStream; quiet?: boolean }): Progress {
  const stream = options.stream ?? process.stderr;
  const tally: Tally = {
    exportBytes: Math.max(1, options.exportBytes),
    doneBytes: 0,
    sendingBytes: new Map(),
    batches: 0,
    records: 0,
    uploaded: 0,
    startedAt: performance.now(),
  };
  const rate = () => megabytes((tally.uploaded / Math.max(1, performance.now() - tally.startedAt)) * 1000) + '/s';
  const tallyBatch = (event: Extract<SendEvent, { kind: 'batch' }>) => {
    tally.sendingBytes.delete(event.n);
    tally.doneBytes += event.sourceBytes;
    tally.batches++;
    tally.records += event.records;
    if (event.outcome !== 'acknowledged-before') tally.uploaded += event.bytes;
  };
  if (options.quiet) {
    return {
      onSend: (e) => (e.kind === 'batch' ? tallyBatch(e) : undefined),
      uploadDone: () => {},
      onProcessing: () => {},
      log: (l) => void stream.write(`${l}\n`),
      stop: () => {},
    };
  }

  if (!stream.isTTY) {
    let lastPhase = '';
    return {
      onSend: (event) => {
        if (event.kind === 'import') {
          stream.write(
            event.resumed
              ? `Resuming import ${event.view.id}: ${count(event.acknowledged, 'batch')} ${event.acknowledged === 1 ? 'was' : 'were'} acknowledged before.\n`
              : `Started import ${event.view.id}.\n`,
          );
        } else if (event.kind === 'batch') {
          tallyBatch(event);
          const what = `batch ${event.n} (${event.type}, ${count(event.records, 'record')}, ${megabytes(event.bytes)})`;
          if (event.outcome === 'acknowledged-before') stream.write(`Skipped ${what}: acknowledged before.\n`);
          else
            stream.write(
              `Uploaded ${what}${event.outcome === 'replayed' ? ', a replay' : ''}${event.receipt?.records.invalid ? `; ${number(event.receipt.records.invalid)} invalid` : ''}.\n`,
            );
        } else if (event.kind === 'cancelled') {
          stream.write(cancelledLine(event));
        } else if (event.kind === 'rejected') {
          stream.write(
            `Not sent: ${event.record.type} #${event.record.position}${event.record.ref ? ` (${event.record.ref})` : ''}: ${event.record.reason}\n`,
          );
        }
      },
      uploadDone: (result) => void stream.write(`Upload complete: ${count(result.batchCount, 'batch')}; processing…\n`),
      onProcessing: (view) => {
        const phase = view.phase ?? view.status;
        if (phase !== lastPhase) stream.write(`Processing: ${phase} (${Math.round(view.progress * 100)}%)\n`);
        lastPhase = phase;
      },
      log: (line) => void stream.write(`${line}\n`),
      stop: () => {},
    };
  }

  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: ' {label} |{bar}| {percentage}% | {detail}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: true,
      gracefulExit: false,
      clearOnComplete: false,
      autopadding: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const upload = bars.create(tally.exportBytes, 0, { label: 'Upload    ', detail: 'reading the export…' });
  const processing = bars.create(100, 0, { label: 'Processing', detail: 'waiting for the upload' });
  const sending = () => [...tally.sendingBytes.values()].reduce((n, b) => n + b, 0);
  const uploadDetail = () =>
    `${megabytes(tally.doneBytes + sending())} of ${megabytes(tally.exportBytes)} sent, ${megabytes(tally.doneBytes)} acknowledged | ${count(tally.batches, 'batch')}, ${count(tally.records, 'record')} | ${rate()}`;
  return {
    onSend: (event) => {
      if (event.kind === 'import' && event.resumed)
        bars.log(
          `Resuming import ${event.view.id}: ${count(event.acknowledged, 'batch')} ${event.acknowledged === 1 ? 'was' : 'were'} acknowledged before.\n`,
        );
      if (event.kind === 'batch') tallyBatch(event);
      if (event.kind === 'sending') tally.sendingBytes.set(event.n, event.sourceBytes);
      if (event.kind === 'passed-over') tally.doneBytes += event.bytes;
      if (event.kind === 'cancelled') bars.log(cancelledLine(event));
      if (event.kind === 'rejected')
        bars.log(
          `Not sent: ${event.record.type} #${event.record.position}${event.record.ref ? ` (${event.record.ref})` : ''}: ${event.record.reason}\n`,
        );
      upload.update(Math.min(tally.doneBytes + sending(), tally.exportBytes - 1), { detail: uploadDetail() });
    },
    uploadDone: () => {
      upload.update(tally.exportBytes, { detail: uploadDetail() });
      processing.update(0, { detail: 'queued' });
    },
    onProcessing: (view) => {
      const imported = RECORD_TYPES.reduce((n, t) => n + view.counts[t].imported, 0);
      const failed = RECORD_TYPES.reduce((n, t) => n + view.counts[t].failed, 0);
      processing.update(Math.round(view.progress * 100), {
        detail: `${view.phase ?? view.status} | ${number(imported)} imported, ${number(failed)} failed`,
      });
    },
    log: (line) => bars.log(`${line}\n`),
    stop: () => bars.stop(),
  };
}

const cancelledLine = (event: Extract<SendEvent, { kind: 'cancelled' }>) =>
  event.done
    ? `Import ${event.importId} held no batch yet: it was cancelled, so nothing is left waiting.\n`
    : `Import ${event.importId} held no batch yet, and cancelling it failed: it expires by itself (BRIGHTCLIENT_RECEIVING_TTL_HOURS).\n`;

/** What a dry run found, in one sentence: nothing is written, and what the import would do. */
function dryRunLine(view: ImportView): string {
  const sum = (key: 'received' | 'imported' | 'failed' | 'skipped' | 'matched') =>
    RECORD_TYPES.reduce((n, t) => n + view.counts[t][key], 0);
  const parts = [`${number(sum('failed'))} would fail`];
  if (sum('skipped') > 0) parts.push(`${number(sum('skipped'))} would be skipped as imported before`);
  if (sum('matched') > 0) parts.push(`${number(sum('matched'))} would join records of other products`);
  return `Dry run: nothing was written. Would import ${number(sum('imported'))} of ${count(sum('received'), 'record')} (${parts.join(', ')}).`;
}

/** The end of a send: counts per type, timings and throughput, where the error file is. */
export function summaryTable(view: ImportView, result: SendResult | null, processingMs: number | null): string {
  // `matched` (part of imported) only once another product's records are there to join: one source alone has none.
  const matching = RECORD_TYPES.some((t) => view.counts[t].matched > 0);
  const head = [
    ...(view.dryRun ? ['', 'received', 'would import', 'would fail', 'would skip'] : ['', 'received', 'imported', 'failed', 'skipped']),
    ...(matching ? [view.dryRun ? 'would match' : 'matched'] : []),
  ];
  const rows = RECORD_TYPES.map((t) => {
    const c = view.counts[t];
    return [t, c.received, c.imported, c.failed, c.skipped, ...(matching ? [c.matched] : [])];
  });
  const total = ['total', ...head.slice(1).map((_, i) => rows.reduce((n, r) => n + (r[i + 1] as number), 0))];
  const table = [head, ...rows, total].map((r) => r.map((c) => (typeof c === 'number' ? number(c) : c)));
  const widths = head.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  const lines = table.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('   '));
  const out = [
    ...(view.dryRun ? [dryRunLine(view)] : []),
    `Import ${view.id}${view.retryOf ? ` (a retry of ${view.retryOf})` : ''}${view.dryRun ? ' (a dry run)' : ''}: ${view.status}.`,
    '',
    ...lines.map((l) => `  ${l}`),
    '',
    ...(matching ? ['Matched: of the imported, the records that joined one another product had sent (one client, two sources).'] : []),
  ];
  if (result && !result.alreadySent) {
    const mbs = result.uploadMs > 0 ? (result.uploadedBytes / 1_000_000 / (result.uploadMs / 1000)).toFixed(1) : '–';
    const reuse = result.batches.acknowledgedBefore > 0 ? `, ${result.batches.acknowledgedBefore} acknowledged before` : '';
    out.push(
      `Upload: ${count(result.batchCount, 'batch')}${reuse}, ${megabytes(result.uploadedBytes)} in ${seconds(result.uploadMs)} (${mbs} MB/s).`,
    );
    if (result.invalidAtReceipt > 0)
      out.push(`The server found ${count(result.invalidAtReceipt, 'record')} invalid as the batches arrived.`);
    if (result.rejected.length > 0) out.push(`Not sent: ${count(result.rejected.length, 'record')} (too large for a batch).`);
  }
  if (processingMs !== null) out.push(`Processing: ${seconds(processingMs)}.`);
  const notSent = view.notSent ? RECORD_TYPES.reduce((n, t) => n + view.notSent![t], 0) : 0;
  if (notSent > 0)
    out.push(
      `${count(notSent, 'record')} this retry asked for ${notSent === 1 ? 'was not in the export: it still fails' : 'were not in the export: they still fail'} in import ${view.retryOf}.`,
    );
  return out.join('\n');
}
