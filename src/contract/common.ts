// Building blocks of the API contract's schemas. The contract is written once, as TypeBox schemas (see
// imports.contract.ts for why TypeBox): each schema is plain JSON Schema at run time — Fastify's Ajv validates
// requests with it, fast-json-stringify shapes answers with it, @fastify/swagger publishes it — and `Static<>`
// turns it into the TypeScript type the server, the sender SDK and the web UI use.
import { Type, type Static, type TSchema } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });

export const DateTime = Type.String({ format: 'date-time' });

/** A calendar date, YYYY-MM-DD. */
export const DateOnly = Type.String({ format: 'date' });

/** The value, or null: the API writes every member and uses null for "none" rather than leaving it out. */
export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);

/** Path parameters of a resource named by its id. */
export const IdParams = Type.Object({ id: Uuid });

/** The answer of a write that has nothing to say (204). */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'no body' });

/**
 * A reference to a named schema (one with `$id`, registered once with `app.addSchema`), typed as that schema. Named
 * schemas are referenced everywhere, never embedded: Ajv refuses one `$id` twice, and @fastify/swagger lists them
 * as the document's `components/schemas`.
 */
export function ref<T extends TSchema>(schema: T) {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}

/** One of a closed list of strings, as a JSON Schema `enum` (what OpenAPI generators turn into an enum type). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** A body the server streams (a file, an event stream): documented by `schema`, sent as a stream, so not typed. */
export const Streamed = (schema: TSchema) => Type.Unsafe<unknown>(schema);
