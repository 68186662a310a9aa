// Builds the HTTP application; never listens (main.ts listens, the tests call inject).
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { DEFAULTS } from '../config.ts';
import { NAMED_SCHEMAS } from '../contract/named-schemas.ts';
import type { Db } from '../db/pool.ts';
import type { SessionAuthenticator } from './auth.ts';
import { registerOpenApi } from './openapi.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { registerRateLimit } from './rate-limit.ts';
import { activationRoutes } from './routes/activation.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { failureRoutes } from './routes/failures.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { clientRoutes } from './routes/clients.routes.ts';
import { importRoutes } from './routes/imports.routes.ts';
import { matchRoutes } from './routes/matches.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { undoRoutes } from './routes/undo.routes.ts';
import { registerWeb, sendUiNotFound, wantsUiPage } from './web.ts';
import { createIntakePool } from '../intake/intake-pool.ts';
import { allBackgroundStagingDone } from '../intake/stage-batch.ts';
import { BODY_IDLE_MS } from '../intake/read-body.ts';
import { ProgressHub } from '../reports/progress-hub.ts';

export interface AppDeps {
  db: Db;
  boss: PgBoss;
  adminToken: string;
  logLevel: string;
  /** Whether this process's workers run (for /healthz). */
  ready: () => boolean;
  intakeConcurrency?: number;
  /** Threads that parse and check batches (BRIGHTCLIENT_INTAKE_THREADS). */
  intakeThreads?: number;
  /** How long a batch upload may send nothing before it is answered 408 (default 30 s; the tests shorten it). */
  bodyIdleMs?: number;
  /** Where logs go (default stdout); the tests read them. */
  logStream?: NodeJS.WritableStream;
  /** Requests a minute per token, session or address (BRIGHTCLIENT_RATE_LIMIT). */
  rateLimitPerMinute?: number;
  /** How a practice user's session is recognised (the web UI); without it only source tokens are accepted. */
  session?: SessionAuthenticator | null;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Requests are logged by method, path (ids only), status and time: never headers, bodies, record data or the
    // query string (a client search is a person's or a company's name).
    logger: {
      level: deps.logLevel,
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: request.url.split('?')[0],
          remotePort: request.socket?.remotePort,
        }),
      },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // JSON bodies other than batches are small; batches have their own reader (routes/imports.routes.ts).
    bodyLimit: 1024 * 1024,
    requestTimeout: 120_000,
    connectionTimeout: 0,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    // Errors raised before routing (a malformed URL, a path parameter past its length) as problems too.
    frameworkErrors: (error, _request, reply) =>
      void sendProblem(
        reply,
        error.statusCode === 414 ? 414 : 400,
        error.statusCode === 414 ? 'A part of the URL is too long.' : 'The URL is malformed.',
      ),
  });
  for (const schema of NAMED_SCHEMAS) app.addSchema(schema);
  await registerRateLimit(app, {
    db: deps.db,
    perMinute: deps.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute,
    sessions: Boolean(deps.session),
  });
  app.decorateRequest('principal', null);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    wantsUiPage(request) ? sendUiNotFound(reply) : sendProblem(reply, 404, `There is no ${request.method} ${request.url.split('?')[0]}.`),
  );

  await registerOpenApi(app);
  await registerWeb(app);

  await app.register(healthRoutes, { db: deps.db, ready: deps.ready });
  await app.register(adminRoutes, { db: deps.db, adminToken: deps.adminToken });
  const hub = new ProgressHub(deps.db);
  app.addHook('onClose', () => hub.close());
  if (deps.session) await app.register(sessionRoutes, { db: deps.db });
  const intake = createIntakePool(deps.intakeThreads ?? DEFAULTS.intakeThreads);
  app.addHook('onClose', () => intake.close());
  // Batches held but still being staged finish before the database pool goes (else processing stages them later).
  app.addHook('onClose', () => allBackgroundStagingDone());
  await app.register(importRoutes, {
    db: deps.db,
    boss: deps.boss,
    hub,
    intake,
    intakeConcurrency: deps.intakeConcurrency ?? DEFAULTS.intakeConcurrency,
    bodyIdleMs: deps.bodyIdleMs ?? BODY_IDLE_MS,
    session: deps.session ?? null,
  });
  await app.register(clientRoutes, { db: deps.db, session: deps.session ?? null });
  await app.register(failureRoutes, { db: deps.db, session: deps.session ?? null });
  await app.register(undoRoutes, { db: deps.db, boss: deps.boss, session: deps.session ?? null });
  await app.register(activationRoutes, { db: deps.db, session: deps.session ?? null });
  await app.register(matchRoutes, { db: deps.db, session: deps.session ?? null });
  return app;
}
