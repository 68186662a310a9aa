// Realistic records of a UK accountancy practice, reproducible from a seed: clients of every type with valid
// Companies House, VAT and UTR numbers, 1–4 contacts each with roles (some serving several clients), address
// histories without overlapping dates, and a planted share of bad records of every failure kind, each noted in an
// ExpectedOutcome as it is written. The one generator of the repo: `brightclient generate`, the tests and the
// benchmarks all draw from it. This file orders the records (a client, its contacts, then their addresses);
// client-records.ts, contact-records.ts and address-records.ts draw each kind.
import type { RecordType } from '../../contract.generated.ts';
import { addressHistory } from './address-records.ts';
import { ClientKeys, drawClient } from './client-records.ts';
import { contactsPerClient, drawContact, type ClientInfo } from './contact-records.ts';
import { AS_OF, daysOf, seededDraws } from './draws.ts';
import { ExpectedOutcome } from './expected-outcome.ts';
import { Planting, type GeneratedRecord } from './planting.ts';

export type { GeneratedRecord } from './planting.ts';

export interface PracticeOptions {
  clients: number;
  seed?: number;
  /** Share of records (of each type) planted with a failure of their own; dependants fail with them. */
  invalidRate?: number;
  /**
   * The same export after the practice fixed every planted failure: the same records, refs and order, with the
   * planted fields as they should have been and the duplicated records removed.
   */
  corrected?: boolean;
  /**
   * Stops after this many records, for a benchmark's exact size. Parents come before their children, so the
   * export stays whole, and the ExpectedOutcome covers exactly the records written.
   */
  maxRecords?: number;
}

export interface PracticeExport {
  /** The records in the order they are written (each type's file keeps this order). */
  records: Generator<GeneratedRecord>;
  /** Filled while `records` is consumed. */
  expected: ExpectedOutcome;
}

export function generatePractice(options: PracticeOptions): PracticeExport {
  const expected = new ExpectedOutcome();
  const all = records(options, expected);
  return { records: options.maxRecords === undefined ? all : take(all, options.maxRecords), expected };
}

function* take<T>(items: Iterator<T>, n: number): Generator<T> {
  for (let k = 0; k < n; k++) {
    const next = items.next();
    if (next.done) return;
    yield next.value;
  }
}

function* records(options: PracticeOptions, expected: ExpectedOutcome): Generator<GeneratedRecord> {
  const draw = seededDraws(options.seed ?? 1);
  const planting = new Planting(draw, options.invalidRate ?? 0.02, options.corrected ?? false, expected);
  let contactCount = 0;
  let addressCount = 0;
  const nextAddressRef = () => `AD-${String(++addressCount).padStart(6, '0')}`;
  const recent: ClientInfo[] = [];
  const keys = new ClientKeys();

  for (let i = 1; i <= options.clients; i++) {
    yield* planting.dueDuplicates(i);
    const client = drawClient(draw, planting, keys, i);
    const { ref, type, district } = client;
    yield client.emitted;

    const info: ClientInfo = { ref, type, contacts: 0 };
    const established = draw.int(daysOf(1985), daysOf(2023));

    // Contacts, each with a home address history.
    const count = contactsPerClient[type](draw);
    const people: string[] = [];
    for (let k = 0; k < count; k++) {
      const contactRef = `CT-${String(++contactCount).padStart(6, '0')}`;
      yield drawContact(draw, planting, { i, ...client }, k, contactRef, recent);
      people.push(contactRef);
    }
    info.contacts = count;

    // The client's addresses: a registered office for companies, a trading address otherwise; some both.
    const owner = { type: 'client' as const, ref };
    const mainKind = client.incorporated ? 'registered' : type === 'trust' ? 'correspondence' : 'trading';
    const mainCount = draw.weighted([
      [1, 55],
      [2, 32],
      [3, 13],
    ]);
    yield* addressHistory(
      draw,
      planting,
      { i, owner, kind: mainKind, home: district, start: established, count: mainCount, business: true },
      nextAddressRef,
    );
    if (client.incorporated && draw.chance(0.25)) {
      const start = draw.int(established, AS_OF - 400);
      yield* addressHistory(draw, planting, { i, owner, kind: 'trading', home: district, start, count: 1, business: true }, nextAddressRef);
    }
    for (const contactRef of people) {
      if (!draw.chance(0.75)) continue;
      const start = draw.int(daysOf(1995), daysOf(2020));
      const homes = draw.weighted([
        [1, 65],
        [2, 35],
      ]);
      const home = { i, owner: { type: 'contact' as const, ref: contactRef }, kind: 'home', home: district, start, count: homes };
      yield* addressHistory(draw, planting, { ...home, business: false }, nextAddressRef);
    }

    recent.push(info);
    if (recent.length > 300) recent.shift();
  }
  yield* planting.dueDuplicates(Number.POSITIVE_INFINITY);
}

/** Splits records into batch bodies of at most `size` records, numbered from 1 in the order clients, contacts, addresses. */
export function toBatches(records: Iterable<GeneratedRecord>, size: number): { type: RecordType; records: object[] }[] {
  const byType: Record<RecordType, object[]> = { clients: [], contacts: [], addresses: [] };
  for (const { type, record } of records) byType[type].push(record);
  const batches: { type: RecordType; records: object[] }[] = [];
  for (const type of ['clients', 'contacts', 'addresses'] as const) {
    for (let i = 0; i < byType[type].length; i += size) batches.push({ type, records: byType[type].slice(i, i + size) });
  }
  return batches;
}
