// Logs at a terminal: readable lines, and none for requests that went well.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { formatLogLine, terminalLogStream } from '../../src/http/terminal-log.ts';

const at = Date.parse('2026-12-01T10:20:30Z');

test('a request that went well writes nothing; one that failed on our side shows', () => {
  assert.equal(formatLogLine({ level: 30, time: at, msg: 'incoming request', req: { method: 'GET', url: '/v1/imports' } }), null);
  assert.equal(formatLogLine({ level: 30, time: at, msg: 'request completed', res: { statusCode: 404 } }), null);
  const failed = formatLogLine({
    level: 30,
    time: at,
    msg: 'request completed',
    req: { method: 'PUT', url: '/v1/x' },
    res: { statusCode: 500 },
  });
  assert.match(failed!, /^\d\d:\d\d:\d\d info {2}request completed PUT \/v1\/x → 500$/);
});

test('other lines keep their level, message and fields, and an error its stack', () => {
  const line = formatLogLine({ level: 40, time: at, pid: 1, hostname: 'h', msg: 'resumed imports', resumed: 2 });
  assert.match(line!, /^\d\d:\d\d:\d\d warn {2}resumed imports {2}resumed=2$/);
  const error = formatLogLine({ level: 50, time: at, msg: 'sweep failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
  assert.match(error!, /error sweep failed\n {2}Error: boom/);
});

test('the stream turns pino’s JSON into those lines', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const log = pino({ level: 'info' }, terminalLogStream(out));
  log.info({ importId: 'abc' }, 'import processed');
  log.info({ res: { statusCode: 200 } }, 'request completed');
  await new Promise((r) => setImmediate(r));
  assert.match(text, /info {2}import processed {2}importId=abc\n$/);
  assert.ok(!text.includes('{'), text);
});
