// The OpenAPI document is generated from the route schemas, so it is only as good as they are: redocly's
// recommended rules pass on it with no error and no warning (run offline, from the devDependency), and the document
// and the routes agree — every API route (under /v1 and /admin) is documented, every documented operation served.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { after, before } from 'node:test';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Document = { paths: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], { operationId?: string }>>> };

let t: TestApp;
before(async () => {
  t = await startTestApp({ sessions: true });
  await t.app.ready();
});
after(async () => t.close());

/** "METHOD /path/:param" of every route the server serves, read from Fastify's route tree (HEAD left out). */
function servedRoutes(tree: string): Set<string> {
  const served = new Set<string>();
  const stack: { depth: number; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([\s│├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const full = (stack[stack.length - 1]?.path ?? '') + match[2]!;
    stack.push({ depth, path: full });
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') served.add(`${method} ${full}`);
  }
  return served;
}

const isApi = (route: string) => / \/(v1|admin)\//.test(route);

test('the document passes redocly’s recommended rules with 0 errors and 0 warnings, offline', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'brightclient-openapi-'));
  try {
    const file = path.join(folder, 'openapi.json');
    await writeFile(file, JSON.stringify(t.app.swagger()));
    const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--extends=recommended', '--format=json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 }, JSON.stringify(report.problems, null, 1));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('every API route is documented and every documented operation is served', () => {
  const document = t.app.swagger() as unknown as Document;
  const documented = new Set<string>();
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      if (operations[method]) documented.add(`${method.toUpperCase()} ${route.replaceAll(/\{(\w+)\}/g, ':$1')}`);
    }
  }
  const served = [...servedRoutes(t.app.printRoutes({ commonPrefix: false }))].filter(isApi);
  assert.ok(served.length >= 20, `the route tree was read: ${served.join(', ')}`);
  assert.deepEqual(
    served.filter((r) => !documented.has(r)),
    [],
    'served but not documented',
  );
  assert.deepEqual(
    [...documented].filter((r) => !served.includes(r)),
    [],
    'documented but not served',
  );
});

test('the batch upload documents the batch and its three record shapes, and errors are problem documents', () => {
  const document = t.app.swagger() as unknown as {
    paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    components: { schemas: Record<string, { required?: string[] }> };
  };
  const upload = document.paths['/v1/imports/{id}/batches/{n}']!['put']!;
  assert.deepEqual(upload.requestBody, {
    required: true,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Batch' } } },
  });
  const schemas = document.components.schemas;
  assert.deepEqual(schemas['ClientRecord']!.required, ['ref', 'clientReference', 'name', 'clientType']);
  assert.deepEqual(schemas['ContactRecord']!.required, ['ref', 'lastName', 'clients']);
  assert.deepEqual(schemas['AddressRecord']!.required, ['ref', 'owner', 'line1', 'town', 'postcode', 'from']);
  assert.deepEqual(Object.keys(upload.responses['409']!.content!), ['application/problem+json']);
  const errors = document.paths['/v1/imports/{id}/errors']!['get']!.responses['200']!.content!;
  assert.deepEqual(Object.keys(errors).sort(), [
    'application/json',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'text/csv',
  ]);
  assert.deepEqual(Object.keys(document.paths['/v1/imports/{id}/events']!['get']!.responses['200']!.content!), ['text/event-stream']);
});

test('/docs is titled BrightClient', async () => {
  let page = await t.app.inject({ method: 'GET', url: '/docs' });
  for (let hops = 0; page.statusCode === 302 && hops < 3; hops++) {
    page = await t.app.inject({ method: 'GET', url: new URL(String(page.headers.location), 'http://x/docs/').pathname });
  }
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<title>BrightClient API<\/title>/);
});
