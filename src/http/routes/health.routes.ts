// Health: the workers run and the schema answers in time (a stalled database is a 503 within seconds, see
// REQUEST_PATH_TIMEOUTS), so a load balancer stops sending requests that would hang.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/pool.ts';
import { sendProblem } from '../problem.ts';

export function healthRoutes(app: FastifyInstance, { db, ready }: { db: Db; ready: () => boolean }, done: () => void): void {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    if (!ready()) return sendProblem(reply, 503, 'Starting: the workers are not running yet.');
    // On behalf of no practice (so as the owner): it reads the constant 1, only to see that imports answers in time.
    await db.query('SELECT 1 FROM imports LIMIT 1');
    return { status: 'ok' };
  });
  done();
}
