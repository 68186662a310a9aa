// The OpenAPI document (/docs/json) and its page (/docs). Nothing here describes a route: @fastify/swagger builds
// the document from the route schemas (src/contract), so declaring a route's schema documents it. This file holds
// what belongs to the whole API: its title, the tags, and the three ways of saying who is asking.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from './session-cookie.ts';

/** Per-operation `security`: who may call it (the document's default is a source token or a session). */
export const OPERATOR_TOKEN = [{ operatorToken: [] }];
export const SESSION_COOKIE_ONLY = [{ sessionCookie: [] }];
export const NO_CREDENTIALS = [];

const TAGS = [
  { name: 'imports', description: 'Bulk imports from a source product: start, upload batches, complete, follow, retry (SPEC §3)' },
  { name: 'clients', description: 'The practice’s central clients and contacts' },
  { name: 'failures', description: 'The practice’s open failures across imports' },
  { name: 'activation', description: 'Activating BrightClient: an import per connected product, and how far each is (SPEC §10)' },
  { name: 'matches', description: 'Review of cross-product matches by practice users: merge, keep apart, split (SPEC §9)' },
  { name: 'session', description: 'Practice users of the web UI: signing in, the session, the failure banner' },
  { name: 'admin', description: 'Operators (the operator token): practices, source tokens, users' },
];

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'BrightClient API',
        version: '1.0.0',
        description:
          'BrightClient, a practice’s central repository of clients and contacts, and the bulk import through which the ' +
          'practice’s source products (BrightManager, BrightBooks, BrightAP) send their clients, contacts and address ' +
          'histories. Errors are RFC 9457 problems (application/problem+json); a `code` names the refusals a client acts on.',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: '/', description: 'the server serving this document' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          sourceToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A source token (`bcs_…`), issued per practice and source product by an operator',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'A signed-in practice user (POST /v1/session); state-changing requests also send X-CSRF-Token',
          },
          operatorToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The operator token (BRIGHTCLIENT_ADMIN_TOKEN, or data/admin-token)',
          },
        },
      },
      security: [{ sourceToken: [] }, { sessionCookie: [] }],
    },
    // Named schemas keep their $id as their components/schemas name (the default would number them).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', theme: { title: 'BrightClient API' } });
}
