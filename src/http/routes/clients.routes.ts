// The central repository's reads (SPEC §3): the practice's clients (list and search), a client, a contact.
// Any caller of the practice may read: a source product sees the clients of every source of its practice, as the
// repository is what the practice's products share.
import type { FastifyInstance } from 'fastify';
import { problem, uuid } from '../../contract/api-schemas.ts';
import type { Db } from '../../db/pool.ts';
import { getClient, getContact, listClients, listContacts } from '../../repository/client.service.ts';
import { withPractice } from '../../db/tenant.ts';
import { authenticate, principalOf, type SessionAuthenticator } from '../auth.ts';
import { sendFailure } from '../problem.ts';

const str = { type: 'string' } as const;
const optional = { type: ['string', 'null'] } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;
const errors = { 400: problem, 401: problem, 404: problem } as const;

const sources = {
  type: 'array',
  description: 'the source records this central record came from',
  items: { type: 'object', properties: { source: str, ref: str } },
} as const;

const roles = { type: 'array', items: str } as const;

const address = {
  type: 'object',
  properties: {
    id: uuid,
    kind: optional,
    line1: str,
    line2: optional,
    town: str,
    county: optional,
    postcode: str,
    country: str,
    from: { type: 'string', format: 'date' },
    to: { type: ['string', 'null'], description: 'null: the current address' },
  },
} as const;

const addressHistory = { type: 'array', description: 'current addresses first, then by `from`, newest first', items: address } as const;

const clientProperties = {
  id: uuid,
  clientReference: str,
  name: str,
  clientType: str,
  companyNumber: optional,
  vatNumber: optional,
  email: optional,
  phone: optional,
  website: optional,
  createdAt: { type: 'string', format: 'date-time' },
  sources,
} as const;

const clientItem = { type: 'object', properties: clientProperties } as const;

const clientDetail = {
  type: 'object',
  properties: {
    ...clientProperties,
    utr: optional,
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: uuid, title: optional, firstName: optional, lastName: str, email: optional, phone: optional, roles },
      },
    },
    addresses: addressHistory,
  },
} as const;

const contactItem = {
  type: 'object',
  properties: {
    id: uuid,
    title: optional,
    firstName: optional,
    lastName: str,
    email: optional,
    phone: optional,
    createdAt: { type: 'string', format: 'date-time' },
    sources,
  },
} as const;

const listQuery = {
  type: 'object',
  properties: {
    search: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', maxLength: 2048 },
  },
  additionalProperties: false,
} as const;

const SEARCH_RULES =
  'Names match with letter case, accents, punctuation and legal suffixes (Ltd = Limited, PLC, LLP, & = and, (UK), ' +
  'a leading The) disregarded, word by word in any order; a word also matches a longer word it begins and a word ' +
  'one or two letters off (a swapped pair counts as one). Best match first: exact names and codes, then those ' +
  'starting with the search, then by how closely the words match; equal matches by name. A blank `search` lists ' +
  'all. Pass `nextCursor` back as `cursor` (with the same `search`) for the next page; it is null on the last page.';

const contactDetail = {
  type: 'object',
  properties: {
    id: uuid,
    title: optional,
    firstName: optional,
    lastName: str,
    email: optional,
    phone: optional,
    dateOfBirth: optional,
    niNumber: { type: ['string', 'null'], description: 'National Insurance number, upper-case without spaces' },
    createdAt: { type: 'string', format: 'date-time' },
    sources,
    clients: {
      type: 'array',
      items: { type: 'object', properties: { id: uuid, clientReference: str, name: str, roles } },
    },
    addresses: addressHistory,
  },
} as const;

export interface ClientRoutesOptions {
  db: Db;
  session: SessionAuthenticator | null;
}

export async function clientRoutes(app: FastifyInstance, { db, session }: ClientRoutesOptions): Promise<void> {
  app.addHook('onRequest', authenticate(db, session));

  app.get<{ Querystring: { search?: string; limit?: number; cursor?: string } }>(
    '/v1/clients',
    {
      schema: {
        summary: 'The practice’s clients: by name, or the best matches of a search',
        description:
          'Without `search`: ordered by name. With `search`: clients whose name resembles it, or whose client ' +
          'reference or company number equals it or starts with it. ' +
          SEARCH_RULES,
        tags: ['clients'],
        querystring: listQuery,
        response: {
          200: { type: 'object', properties: { clients: { type: 'array', items: clientItem }, nextCursor: optional } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) =>
        listClients(tx, practiceId, {
          search: q.search ?? null,
          limit: q.limit ?? 50,
          cursor: q.cursor ?? null,
        }),
      );
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/clients/:id',
    {
      schema: {
        summary: 'One client with its contacts (and their roles) and its address history',
        tags: ['clients'],
        params: idParams,
        response: { 200: clientDetail, ...errors },
      },
    },
    async (request, reply) => {
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) => getClient(tx, practiceId, request.params.id));
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );

  app.get<{ Querystring: { search?: string; limit?: number; cursor?: string } }>(
    '/v1/contacts',
    {
      schema: {
        summary: 'The practice’s contacts: by last name, or the best matches of a search',
        description:
          'Without `search`: ordered by last name, then first name. With `search`: contacts whose name resembles ' +
          'it, or whose email address equals it or starts with it (letter case disregarded). ' +
          SEARCH_RULES,
        tags: ['clients'],
        querystring: listQuery,
        response: {
          200: { type: 'object', properties: { contacts: { type: 'array', items: contactItem }, nextCursor: optional } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) =>
        listContacts(tx, practiceId, { search: q.search ?? null, limit: q.limit ?? 50, cursor: q.cursor ?? null }),
      );
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/contacts/:id',
    {
      schema: {
        summary: 'One contact with its clients (and its roles there) and its address history',
        tags: ['clients'],
        params: idParams,
        response: { 200: contactDetail, ...errors },
      },
    },
    async (request, reply) => {
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) => getContact(tx, practiceId, request.params.id));
      return outcome.ok ? outcome.value : sendFailure(reply, outcome.failure);
    },
  );
}
