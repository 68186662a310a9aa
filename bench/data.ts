// Seeded benchmark data: 20 % clients, 40 % contacts (two per client), 40 % addresses (one per client, one per
// second contact), with about 1 % planted failures of every kind — invalid fields, unknown links, duplicate refs —
// and the cascades they cause. Realistic field mixes (phones, emails, VAT numbers), since validation cost depends
// on them.
import type { RecordType } from '../src/contract/records.ts';

/** mulberry32: a small seeded generator, so every run sends the same bytes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VAT = ['GB980780684', 'GB434031494', 'GB980780684001'];
const TOWNS = [
  ['Leeds', 'LS1 5HD'],
  ['Bristol', 'BS1 4DJ'],
  ['Manchester', 'M1 1AE'],
  ['Glasgow', 'G2 1DU'],
  ['Cardiff', 'CF10 1EP'],
  ['Norwich', 'NR2 1NH'],
] as const;
const ROLES = ['director', 'shareholder', 'secretary', 'partner', 'owner', 'primary_contact'];

export interface BenchRecord {
  type: RecordType;
  record: Record<string, unknown>;
}

/** The records in send order (clients, contacts, addresses), generated lazily so a million never sit in memory twice. */
export function* benchRecords(total: number, seed = 1): Generator<BenchRecord> {
  const next = random(seed);
  const clients = Math.round(total * 0.2);
  const phone = (i: number) => `020 71${String(10 + (i % 90)).padStart(2, '0')} ${String(1000 + (i % 9000)).padStart(4, '0')}`;
  const failingClient = (i: number) => i % 200 === 7 || i % 400 === 13; // 0.75 %: bad VAT or bad email
  for (let i = 1; i <= clients; i++) {
    const [town] = TOWNS[i % TOWNS.length]!;
    yield {
      type: 'clients',
      record: {
        ref: `C${i}`,
        clientReference: `CL${String(i).padStart(7, '0')}`,
        name: `${town} ${['Trading', 'Holdings', 'Services', 'Partners'][i % 4]} ${i} Ltd`,
        clientType: i % 10 === 0 ? 'llp' : 'limited_company',
        companyNumber: String(10_000_000 + i).slice(-8),
        vatNumber: i % 200 === 7 ? 'GB123456789' : VAT[i % VAT.length],
        email: i % 400 === 13 ? 'accounts@' : `accounts${i}@example.co.uk`,
        phone: phone(i),
        website: `https://client${i}.example.co.uk`,
      },
    };
  }
  for (let i = 1; i <= clients; i++) {
    for (let k = 1; k <= 2; k++) {
      const n = (i - 1) * 2 + k;
      const clientRef = n % 400 === 11 ? `C-MISSING-${n}` : `C${i}`; // 0.25 %: an unknown client
      yield {
        type: 'contacts',
        record: {
          ref: n % 400 === 21 ? `P${n - 2}` : `P${n}`, // 0.25 %: a duplicate ref
          title: k === 1 ? 'Mr' : 'Ms',
          firstName: ['James', 'Olivia', 'Amelia', 'Harry', 'Isla', 'George'][n % 6],
          lastName: ['Smith', 'Jones', 'Taylor', 'Brown', 'Evans', 'Patel'][(n >> 1) % 6],
          email: `person${n}@example.co.uk`,
          phone: n % 400 === 31 ? '12345' : `07800 ${String(100_000 + ((n * 7919) % 800_000)).slice(-6)}`, // 0.25 %: bad phone
          dateOfBirth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
          clients: [{ ref: clientRef, role: ROLES[n % ROLES.length] }],
        },
      };
    }
  }
  for (let i = 1; i <= clients * 2; i++) {
    const [town, postcode] = TOWNS[i % TOWNS.length]!;
    const byClient = i <= clients;
    yield {
      type: 'addresses',
      record: {
        ref: `A${i}`,
        owner: byClient ? { type: 'client', ref: `C${i}` } : { type: 'contact', ref: `P${(i - clients) * 2}` },
        kind: byClient ? 'registered' : 'home',
        line1: `${1 + Math.floor(next() * 200)} ${['High Street', 'Station Road', 'Church Lane', 'Mill Road'][i % 4]}`,
        town,
        postcode: i % 400 === 17 ? 'XYZ 123' : postcode, // 0.25 %: a bad postcode
        country: 'GB',
        from: '2015-04-06',
        to: i % 400 === 27 ? '2014-01-01' : null, // 0.25 %: ends before it starts
      },
    };
  }
}
