// Planting failures into a generated export and noting each in the ExpectedOutcome: which records get one (each
// type cycles through its kinds, so even a small export plants every kind), refs that are in no file, duplicates
// sent again a little later — and, for the corrected export, the records as they were drawn instead.
import type { RecordType } from '../../contract.generated.ts';
import type { Draws } from './draws.ts';
import type { ExpectedOutcome, Planted } from './expected-outcome.ts';

export type Rec = Record<string, unknown>;

export interface GeneratedRecord {
  type: RecordType;
  record: Rec;
}

export class Planting {
  readonly #draw: Draws;
  readonly #rate: number;
  readonly #corrected: boolean;
  readonly #expected: ExpectedOutcome;
  readonly #cycles: Record<RecordType, number> = { clients: 0, contacts: 0, addresses: 0 };
  readonly #pendingDuplicates: { due: number; type: RecordType; record: Rec }[] = [];
  #unknownRefs = 0;

  constructor(draw: Draws, rate: number, corrected: boolean, expected: ExpectedOutcome) {
    this.#draw = draw;
    this.#rate = rate;
    this.#corrected = corrected;
    this.#expected = expected;
  }

  /** The failure kind to plant in the record being drawn, or null for most records. */
  defect<K>(type: RecordType, kinds: readonly K[]): K | null {
    return this.#draw.chance(this.#rate) ? kinds[this.#cycles[type]++ % kinds.length]! : null;
  }

  /** A ref (`CL-9000001` …) that no record of the export has. */
  unknownRef(prefix: string): string {
    return `${prefix}-9${String(++this.#unknownRefs).padStart(6, '0')}`;
  }

  /** Sends a copy of the record again after 1 to 25 more clients (a duplicate ref). */
  duplicateLater(client: number, type: RecordType, record: Rec): void {
    this.#pendingDuplicates.push({ due: client + this.#draw.int(1, 25), type, record: structuredClone(record) });
  }

  /** The duplicates due by the `client`th client (the corrected export has none). */
  *dueDuplicates(client: number): Generator<GeneratedRecord> {
    for (let k = 0; k < this.#pendingDuplicates.length;) {
      const due = this.#pendingDuplicates[k]!;
      if (due.due <= client) {
        this.#pendingDuplicates.splice(k, 1);
        if (!this.#corrected) yield this.emit(due.type, due.record, []);
      } else k++;
    }
  }

  /**
   * A record is drawn whole, then its planted failure applied (`asDrawn` is the record before, when it has one);
   * the corrected export sends the record as drawn. Both draw the same random numbers, so they stay the same
   * export record for record.
   */
  emit(type: RecordType, record: Rec, planted: Planted[], asDrawn?: Rec): GeneratedRecord {
    const sent = this.#corrected && asDrawn ? asDrawn : record;
    this.#expected.add(type, sent, this.#corrected ? [] : planted);
    return { type, record: sent };
  }
}
