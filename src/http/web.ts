// The web UI (web/, React + Vite): built when missing or older than its sources, and served from web/dist —
// hashed assets under /assets/ (cached for good), index.html for the UI's own paths. Also the security headers
// (CSP, frame-ancestors, nosniff …) and cookie parsing of every response and request.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sendProblem } from './problem.ts';

const WEB_DIR = path.resolve(import.meta.dirname, '../../web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
const BUILD_INPUTS = ['src', 'index.html', 'vite.config.ts'].map((p) => path.join(WEB_DIR, p));

/** The client-side routes of web/src/app.tsx: these paths answer the UI's index.html. */
const UI_PATHS = ['/', '/sign-in', '/clients', '/clients/:id', '/contacts/:id', '/imports/:id', '/failures'];

/** Paths of the API and the server's own pages: an unknown one answers a problem, never the UI. */
const API_PREFIXES = ['/v1/', '/admin', '/docs', '/assets/', '/healthz'];

function newestMtime(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newestMtime(path.join(file, name))));
}

/** True when web/dist is missing or older than anything it is built from. */
export function webBuildIsStale(): boolean {
  const built = path.join(WEB_DIST, 'index.html');
  return !existsSync(built) || Math.max(...BUILD_INPUTS.map(newestMtime)) > statSync(built).mtimeMs;
}

/**
 * Builds the UI into a fresh folder and swaps it in, so a server running meanwhile never serves half a build and
 * two processes building at once (a test run and `npm start`) each end with a complete web/dist.
 */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  const staging = path.join(WEB_DIR, `.dist-${process.pid}-${Date.now()}`);
  const retired = `${staging}-old`;
  try {
    await build({
      root: WEB_DIR,
      configFile: path.join(WEB_DIR, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    await fs.rename(WEB_DIST, retired).catch(() => {});
    await fs.rename(staging, WEB_DIST).catch((error: unknown) => {
      if (!existsSync(path.join(WEB_DIST, 'index.html'))) throw error; // another process swapped its build in first
    });
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.rm(retired, { recursive: true, force: true });
  }
}

/**
 * Builds the UI when stale; a failed build is reported and the API starts without a fresh UI. The build runs in a
 * process of its own: Vite and rolldown stay resident once loaded (measured: +143 MB of the server's RSS for good).
 */
export async function ensureWebBuild(say: (line: string) => void): Promise<void> {
  if (!webBuildIsStale()) return;
  say('Building the web UI (web/ → web/dist)…');
  const script = `const { buildWeb } = await import(${JSON.stringify(import.meta.url)}); await buildWeb();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script]).catch((error: unknown) =>
    say(`The web UI could not be built: ${error instanceof Error ? error.message : String(error)}`),
  );
}

const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'";

export async function registerWeb(app: FastifyInstance): Promise<void> {
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    // HTTPS is the proxy's business; HSTS from a server that may run on plain http would only get in the way.
    strictTransportSecurity: false,
  });

  // Swagger UI (/docs) sets a few inline styles; only its pages get that allowance.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/docs')) reply.header('content-security-policy', DOCS_CSP);
  });

  await app.register(fastifyStatic, {
    root: path.join(WEB_DIST, 'assets'),
    prefix: '/assets/',
    // Vite names assets by content hash: a name never changes meaning.
    immutable: true,
    maxAge: '365d',
    index: false,
  });

  for (const url of UI_PATHS) app.get(url, { schema: { hide: true } }, async (_request, reply) => sendUi(reply, 200));
}

async function sendUi(reply: FastifyReply, status: number): Promise<FastifyReply> {
  const html = await fs.readFile(path.join(WEB_DIST, 'index.html')).catch(() => null);
  if (!html) return sendProblem(reply, 503, 'The web UI is not built yet: run `npm run web:build` (npm start builds it too).');
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

/**
 * An unknown address typed into a browser gets the UI, which shows its "nothing here" page (with status 404), not
 * a problem document as raw JSON; API clients and unknown API paths still get the problem.
 */
export function wantsUiPage(request: FastifyRequest): boolean {
  const pathname = request.url.split('?')[0]!;
  return (
    request.method === 'GET' &&
    !API_PREFIXES.some((prefix) => pathname.startsWith(prefix)) &&
    /\btext\/html\b/.test(request.headers.accept ?? '')
  );
}

export const sendUiNotFound = (reply: FastifyReply) => sendUi(reply, 404);
