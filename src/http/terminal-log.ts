// Logs for a person at a terminal: pino's JSON lines turned into short readable ones, without the two lines every
// request writes (a request that failed on our side still shows). Not on a terminal — a service manager, a file,
// a log shipper — the JSON lines go out unchanged, as machines read them.
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime']);

interface LogLine {
  level: number;
  time: number;
  msg?: string;
  res?: { statusCode?: number };
  req?: { method?: string; url?: string };
  responseTime?: number;
  err?: { message?: string; stack?: string };
  [key: string]: unknown;
}

/** One readable line, or null for a request that went well. */
export function formatLogLine(line: LogLine): string | null {
  if (line.msg === 'incoming request') return null;
  if (line.msg === 'request completed' && (line.res?.statusCode ?? 0) < 500) return null;
  const time = new Date(line.time).toTimeString().slice(0, 8);
  const level = (LEVELS[line.level] ?? String(line.level)).padEnd(5);
  const request = line.req?.method ? ` ${line.req.method} ${line.req.url ?? ''} → ${line.res?.statusCode ?? ''}` : '';
  const extra = Object.entries(line)
    .filter(([key]) => !OMITTED.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const error = line.err ? `\n  ${line.err.stack ?? line.err.message ?? ''}` : '';
  return `${time} ${level} ${line.msg ?? ''}${request}${extra.length ? `  ${extra.join(' ')}` : ''}${error}`;
}

/** A stream for the logger that writes readable lines to `out` (a TTY). */
export function terminalLogStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (!text) continue;
        let formatted: string | null;
        try {
          formatted = formatLogLine(JSON.parse(text) as LogLine);
        } catch {
          formatted = text; // not JSON: as it came
        }
        if (formatted !== null) out.write(`${formatted}\n`);
      }
      done();
    },
  });
}
