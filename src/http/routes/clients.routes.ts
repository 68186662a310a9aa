// The central repository's reads (SPEC §3): the practice's clients (list and search), a client, a contact.
// Any caller of the practice may read: a source product sees the clients of every source of its practice, as the
// repository is what the practice's products share.
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ref } from '../../contract/common.ts';
import { ClientDetail, ListQuery, ClientPage, ContactDetail, ContactPage } from '../../contract/clients.contract.ts';
import { problems } from '../../contract/problem.contract.ts';
import type { Db } from '../../db/pool.ts';
import { getClient, getContact, listClients, listContacts } from '../../repository/client.service.ts';
import { withPractice } from '../../db/tenant.ts';
import { authenticate, principalOf, type SessionAuthenticator } from '../auth.ts';
import { answer } from '../answer.ts';

const SEARCH_RULES =
  'Names match with letter case, accents, punctuation and legal suffixes (Ltd = Limited, PLC, LLP, & = and, (UK), ' +
  'a leading The) disregarded, word by word in any order; a word also matches a longer word it begins and a word ' +
  'one or two letters off (a swapped pair counts as one). Best match first: exact names and codes, then those ' +
  'starting with the search, then by how closely the words match; equal matches by name. A blank `search` lists ' +
  'all. Pass `nextCursor` back as `cursor` (with the same `search`) for the next page; it is null on the last page.';

export interface ClientRoutesOptions {
  db: Db;
  session: SessionAuthenticator | null;
}

export const clientRoutes: FastifyPluginCallbackTypebox<ClientRoutesOptions> = (app, { db, session }, done) => {
  app.addHook('onRequest', authenticate(db, session));

  app.get(
    '/v1/clients',
    {
      schema: {
        operationId: 'listClients',
        summary: 'The practice’s clients: by name, or the best matches of a search',
        description:
          'Without `search`: ordered by name. With `search`: clients whose name resembles it, or whose client ' +
          'reference or company number equals it or starts with it. ' +
          SEARCH_RULES,
        tags: ['clients'],
        querystring: ListQuery,
        response: { 200: ref(ClientPage), ...problems(400, 401) },
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
      return answer(reply, outcome);
    },
  );

  app.get(
    '/v1/clients/:id',
    {
      schema: {
        operationId: 'getClient',
        summary: 'One client with its contacts (and their roles) and its address history',
        tags: ['clients'],
        params: IdParams,
        response: { 200: ref(ClientDetail), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) => getClient(tx, practiceId, request.params.id));
      return answer(reply, outcome);
    },
  );

  app.get(
    '/v1/contacts',
    {
      schema: {
        operationId: 'listContacts',
        summary: 'The practice’s contacts: by last name, or the best matches of a search',
        description:
          'Without `search`: ordered by last name, then first name. With `search`: contacts whose name resembles ' +
          'it, or whose email address equals it or starts with it (letter case disregarded). ' +
          SEARCH_RULES,
        tags: ['clients'],
        querystring: ListQuery,
        response: { 200: ref(ContactPage), ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) =>
        listContacts(tx, practiceId, { search: q.search ?? null, limit: q.limit ?? 50, cursor: q.cursor ?? null }),
      );
      return answer(reply, outcome);
    },
  );

  app.get(
    '/v1/contacts/:id',
    {
      schema: {
        operationId: 'getContact',
        summary: 'One contact with its clients (and its roles there) and its address history',
        tags: ['clients'],
        params: IdParams,
        response: { 200: ref(ContactDetail), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const practiceId = principalOf(request).practiceId;
      const outcome = await withPractice(db, practiceId, (tx) => getContact(tx, practiceId, request.params.id));
      return answer(reply, outcome);
    },
  );
  done();
};
