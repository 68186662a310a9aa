// Deterministic synthetic records for engine tests: n clients, two contacts and two addresses per client, with a
// planted share of invalid records (every 50th client has a bad VAT number, every 40th address a bad postcode).
export interface SyntheticExport {
  clients: object[];
  contacts: object[];
  addresses: object[];
}

export function syntheticExport(clientCount: number, prefix = 'S'): SyntheticExport {
  const clients: object[] = [];
  const contacts: object[] = [];
  const addresses: object[] = [];
  for (let i = 1; i <= clientCount; i++) {
    const ref = `${prefix}C-${i}`;
    clients.push({
      ref,
      clientReference: `${prefix}REF${String(i).padStart(6, '0')}`,
      name: `Client ${i} Trading Ltd`,
      clientType: 'limited_company',
      vatNumber: i % 50 === 0 ? 'GB123456789' : 'GB980780684',
      email: `office${i}@example.com`,
    });
    for (let k = 1; k <= 2; k++) {
      const contactRef = `${prefix}P-${i}-${k}`;
      contacts.push({
        ref: contactRef,
        firstName: `First${k}`,
        lastName: `Last${i}`,
        clients: [{ ref, role: k === 1 ? 'director' : 'secretary' }],
      });
      const n = (i - 1) * 2 + k;
      addresses.push({
        ref: `${prefix}A-${n}`,
        owner: k === 1 ? { type: 'client', ref } : { type: 'contact', ref: contactRef },
        line1: `${n} High Street`,
        town: 'Leeds',
        postcode: n % 40 === 0 ? 'NOT A CODE' : 'LS1 5HD',
        from: '2018-01-01',
      });
    }
  }
  return { clients, contacts, addresses };
}

/** Splits an export into batch bodies of at most `size` records, numbered from 1 in the order clients, contacts, addresses. */
export function toBatches(data: SyntheticExport, size: number): { type: string; records: object[] }[] {
  const batches: { type: string; records: object[] }[] = [];
  for (const type of ['clients', 'contacts', 'addresses'] as const) {
    for (let i = 0; i < data[type].length; i += size) batches.push({ type, records: data[type].slice(i, i + size) });
  }
  return batches;
}
