import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/pool.ts';
import { sendProblem } from '../problem.ts';

export async function healthRoutes(app: FastifyInstance, { db, ready }: { db: Db; ready: () => boolean }): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    if (!ready()) return sendProblem(reply, 503, 'Starting: the workers are not running yet.');
    await db.query('SELECT 1');
    return { status: 'ok' };
  });
}
