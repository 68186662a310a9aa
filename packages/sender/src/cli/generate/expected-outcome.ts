// What the server must report for a generated export, worked out record by record as the export is written, by the
// import rules of SPEC §4 (and the server's README where the spec is silent):
// - every planted bad field is one error row;
// - the same ref again in a type: the first kept, each later one fails on `ref` (duplicate_ref);
// - a contact fails on `clients[i].ref` for each linked client that is absent (parent_not_found) or whose kept copy
//   failed (parent_failed); an address likewise on `owner.ref`, after the contacts;
// - client_reference: a client's own; a contact's first linked client's; an address's owner's (a contact owner's
//   first client's), from the first copy of that ref in the export; empty when there is none.
// Parents are always written before their children, so a parent's fate is known when a child is written.
import type { RecordType } from '../../contract.generated.ts';
import { RECORD_TYPE_SINGULAR } from '../../contract.generated.ts';

/** One planted bad field. */
export interface Planted {
  field: string;
  code: string;
  /** What was done to the record, for a person reading expected-errors.csv. */
  note: string;
}

export interface ExpectedError {
  record_type: string;
  record_ref: string;
  record_name: string | null;
  client_reference: string | null;
  field: string;
  code: string;
  planted: string;
}

export interface ExpectedCounts {
  received: number;
  imported: number;
  failed: number;
}

type Rec = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const joined = (parts: (string | null)[], separator: string) => parts.filter((p) => p !== null).join(separator) || null;

export class ExpectedOutcome {
  readonly rows: ExpectedError[] = [];
  readonly counts: Record<RecordType, ExpectedCounts> = {
    clients: { received: 0, imported: 0, failed: 0 },
    contacts: { received: 0, imported: 0, failed: 0 },
    addresses: { received: 0, imported: 0, failed: 0 },
  };
  #clients = new Map<string, { failed: boolean; clientReference: string | null }>();
  #contacts = new Map<string, { failed: boolean; firstClientRef: string | null }>();
  #addresses = new Set<string>();

  #clientReferenceOf(clientRef: string | null): string | null {
    return clientRef === null ? null : (this.#clients.get(clientRef)?.clientReference ?? null);
  }

  /** Records one written record with the bad fields planted in it. Call in the order the export lists them. */
  add(type: RecordType, record: Rec, planted: Planted[]): void {
    const ref = text(record['ref'])!;
    const found: Planted[] = [...planted];
    const kept = type === 'clients' ? this.#clients : type === 'contacts' ? this.#contacts : null;
    const duplicate = kept ? kept.has(ref) : this.#addresses.has(ref);
    if (duplicate) found.push({ field: 'ref', code: 'duplicate_ref', note: 'the same ref earlier in the export' });

    let name: string | null;
    let clientReference: string | null;
    if (type === 'clients') {
      name = text(record['name']);
      clientReference = text(record['clientReference']);
    } else if (type === 'contacts') {
      name = joined([text(record['firstName']), text(record['lastName'])], ' ');
      const links = (record['clients'] as Rec[] | undefined) ?? [];
      links.forEach((link, i) => {
        const parent = text(link['ref']);
        if (parent === null) return;
        const client = this.#clients.get(parent);
        if (!client) found.push({ field: `clients[${i}].ref`, code: 'parent_not_found', note: `client ${parent} is not in the export` });
        else if (client.failed) found.push({ field: `clients[${i}].ref`, code: 'parent_failed', note: `cascade: client ${parent} fails` });
      });
      clientReference = this.#clientReferenceOf(text(links[0]?.['ref']));
    } else {
      name = joined([text(record['line1']), text(record['postcode'])], ', ');
      const owner = (record['owner'] as Rec | undefined) ?? {};
      const ownerRef = text(owner['ref']);
      const ownerType = text(owner['type']);
      const parent = ownerRef === null ? undefined : ownerType === 'client' ? this.#clients.get(ownerRef) : this.#contacts.get(ownerRef);
      if (ownerRef !== null && !parent)
        found.push({ field: 'owner.ref', code: 'parent_not_found', note: `${ownerType} ${ownerRef} is not in the export` });
      else if (parent?.failed) found.push({ field: 'owner.ref', code: 'parent_failed', note: `cascade: ${ownerType} ${ownerRef} fails` });
      clientReference =
        ownerType === 'client'
          ? this.#clientReferenceOf(ownerRef)
          : this.#clientReferenceOf(ownerRef === null ? null : (this.#contacts.get(ownerRef)?.firstClientRef ?? null));
    }

    const failed = found.length > 0;
    if (!duplicate) {
      if (type === 'clients') this.#clients.set(ref, { failed, clientReference });
      else if (type === 'contacts')
        this.#contacts.set(ref, { failed, firstClientRef: text(((record['clients'] as Rec[] | undefined) ?? [])[0]?.['ref']) });
      else this.#addresses.add(ref);
    }
    const counts = this.counts[type];
    counts.received++;
    if (failed) counts.failed++;
    else counts.imported++;
    for (const f of found) {
      this.rows.push({
        record_type: RECORD_TYPE_SINGULAR[type],
        record_ref: ref,
        record_name: name,
        client_reference: clientReference,
        field: f.field,
        code: f.code,
        planted: f.note,
      });
    }
  }
}
