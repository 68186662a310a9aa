// RFC 9457 problem details: the one shape of every error answer. 5xx answers never carry internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/pool.ts';
import type { Failure, FailureExtra, FailureKind } from '../domain/outcome.ts';

const STATUS: Record<FailureKind, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  too_large: 413,
  unsupported_media: 415,
  timeout: 408,
  busy: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function sendProblem(reply: FastifyReply, status: number, detail: string, extra: FailureExtra = {}): FastifyReply {
  const title = TITLES[status] ?? 'Error';
  const code = extra.code;
  const type = `urn:brightclient:problem:${code ? code.replaceAll('_', '-') : title.toLowerCase().replaceAll(' ', '-')}`;
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type, title, status, detail, ...extra });
}

/**
 * A failure with a `code` (e.g. batch_content_differs, batches_missing) answers with that code as a member and in
 * the problem `type`, so a client tells two 409s apart without reading the sentence.
 */
export function sendFailure(reply: FastifyReply, failure: Failure): FastifyReply {
  if (failure.kind === 'busy') reply.header('retry-after', '1');
  // The rest of a request that stopped arriving is not waited for: the connection closes after the answer.
  if (failure.kind === 'timeout') reply.header('connection', 'close');
  return sendProblem(reply, STATUS[failure.kind], failure.detail, failure.extra);
}

// Fastify's names for the parts of a request, as a sentence says them ("The params is not valid" read as a typo).
const PART: Record<string, string> = { body: 'body', params: 'path', querystring: 'query string', headers: 'headers' };

/** Fastify's own errors (schema validation, body limits, content types) and unexpected ones, as problems. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.validation) {
    const errors = error.validation.map((v) => ({
      pointer: `${error.validationContext === 'body' ? '' : `${error.validationContext ?? ''}:`}${v.instancePath || '/'}`,
      detail: v.message ?? 'is not valid',
    }));
    return sendProblem(
      reply,
      400,
      `The ${PART[error.validationContext ?? ''] ?? 'request'} is not valid: ${errors.map((e) => `${e.pointer} ${e.detail}`).join('; ')}.`,
      { errors },
    );
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return sendProblem(reply.header('retry-after', '2'), 503, 'The database is not answering in time; try again in a few seconds.');
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, status, 'Something went wrong on our side; it has been logged. Try again in a moment.');
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, 413, 'The body is larger than the server accepts.');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, 415, 'Send the body as application/json.');
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendProblem(reply, 400, 'The body is empty; send a JSON object.');
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return sendProblem(reply, 400, `The body is not valid JSON: ${error.message}`);
  }
  return sendProblem(reply, status, error.message);
}
