// Intake is CPU-bound (parse + validate ≈ 100 ms per 10 MB batch on this hardware). Past a few batches in flight,
// answer 503 with Retry-After at once — before the body is read — rather than queue 10 MB bodies in memory.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.ts';

const admitted = new WeakSet<FastifyRequest>();

export function intakeGate(limit: number) {
  let inFlight = 0;
  return {
    enter: async (request: FastifyRequest, reply: FastifyReply) => {
      if (inFlight >= limit) {
        return sendProblem(
          reply.header('retry-after', '1'),
          503,
          `The server is taking ${limit} batches at once; send this one again in a second.`,
        );
      }
      inFlight++;
      admitted.add(request);
    },
    leave: async (request: FastifyRequest) => {
      if (admitted.delete(request)) inFlight--;
    },
  };
}
