// Practice users of the web UI: sign in, who am I (and the CSRF token), sign out; the per-user failure banner.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NoContent, ref } from '../../contract/common.ts';
import { problems } from '../../contract/problem.contract.ts';
import { Banner, DismissBody, SessionAnswer, SignInBody } from '../../contract/session.contract.ts';
import type { Db } from '../../db/pool.ts';
import { dismissFromBanner, failureBanner } from '../../banner/banner.service.ts';
import { csrfTokenFor, signIn, signOut, type SessionUser } from '../../users/session.service.ts';
import { clearSessionCookie, sessionIdOf, sessionUserOf, setSessionCookie } from '../session-cookie.ts';
import { NO_CREDENTIALS, SESSION_COOKIE_ONLY } from '../openapi.ts';
import { sendFailure, sendProblem } from '../problem.ts';

const sessionAnswer = (user: SessionUser, sessionId: string): SessionAnswer => ({
  user: { id: user.userId, email: user.email, practiceId: user.practiceId, practiceName: user.practiceName },
  csrfToken: csrfTokenFor(sessionId),
});

declare module 'fastify' {
  interface FastifyRequest {
    sessionUser: { user: SessionUser; sessionId: string } | null;
  }
}

const signedIn = (request: FastifyRequest) => {
  if (!request.sessionUser) throw new Error('route without requireSession');
  return request.sessionUser;
};

export const sessionRoutes: FastifyPluginCallbackTypebox<{ db: Db }> = (app, { db }, done) => {
  app.decorateRequest('sessionUser', null);

  const requireSession = async (request: FastifyRequest, reply: FastifyReply) => {
    request.sessionUser = await sessionUserOf(db, request);
    if (!request.sessionUser) return sendProblem(reply, 401, 'Sign in first.');
  };

  app.post(
    '/v1/session',
    {
      schema: {
        operationId: 'signIn',
        summary: 'Sign in a practice user: sets the session cookie and answers the CSRF token',
        tags: ['session'],
        security: NO_CREDENTIALS,
        body: ref(SignInBody),
        response: { 200: ref(SessionAnswer), ...problems(400, 401, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await signIn(db, request.body.email, request.body.password);
      switch (result.kind) {
        case 'throttled':
          reply.header('retry-after', String(result.retryAfterSeconds));
          return sendProblem(
            reply,
            429,
            `Too many sign-in attempts for this email; try again in ${Math.ceil(result.retryAfterSeconds / 60)} minutes.`,
          );
        case 'invalid':
          return sendProblem(reply, 401, 'The email or password is not right.');
        case 'busy':
          return sendProblem(
            reply.header('retry-after', '1'),
            503,
            'Too many sign-ins are being checked right now; try again in a second.',
          );
        case 'signed_in':
          setSessionCookie(request, reply, result.sessionId);
          return sessionAnswer(result.user, result.sessionId);
      }
    },
  );

  app.get(
    '/v1/session',
    {
      onRequest: requireSession,
      schema: {
        operationId: 'getSession',
        summary: 'The signed-in user and the session’s CSRF token',
        tags: ['session'],
        security: SESSION_COOKIE_ONLY,
        response: { 200: ref(SessionAnswer), ...problems(401) },
      },
    },
    (request) => {
      const { user, sessionId } = signedIn(request);
      return sessionAnswer(user, sessionId);
    },
  );

  app.delete(
    '/v1/session',
    {
      schema: {
        operationId: 'signOut',
        summary: 'Sign out (needs the X-CSRF-Token header)',
        tags: ['session'],
        security: SESSION_COOKIE_ONLY,
        response: { 204: NoContent, ...problems(403) },
      },
    },
    async (request, reply) => {
      // Checks the CSRF token when the session is live; a stale cookie is simply cleared.
      const found = await sessionUserOf(db, request);
      const sessionId = sessionIdOf(request);
      if (found && sessionId) await signOut(db, sessionId);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/banner',
    {
      onRequest: requireSession,
      schema: {
        operationId: 'getBanner',
        summary: 'Imports of the last 30 days with records still failing that this user has not dismissed',
        tags: ['session'],
        security: SESSION_COOKIE_ONLY,
        response: { 200: ref(Banner), ...problems(401) },
      },
    },
    async (request) => {
      const { user } = signedIn(request);
      return failureBanner(db, user);
    },
  );

  app.post(
    '/v1/banner/dismissals',
    {
      onRequest: requireSession,
      schema: {
        operationId: 'dismissFromBanner',
        summary: 'Hide an import from this user’s failure banner (needs the X-CSRF-Token header)',
        tags: ['session'],
        security: SESSION_COOKIE_ONLY,
        body: ref(DismissBody),
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { user } = signedIn(request);
      const outcome = await dismissFromBanner(db, user, request.body.importId);
      return outcome.ok ? reply.code(204).send() : sendFailure(reply, outcome.failure);
    },
  );
  done();
};
