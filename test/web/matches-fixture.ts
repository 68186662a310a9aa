// The two products' exports behind the review tests (test/web/matches.test.ts): every kind of review item, a join
// by company number with differing values, and one person sent by both products.
const client = (ref: string, clientReference: string, name: string, extra: object = {}) => ({
  ref,
  clientReference,
  name,
  clientType: 'limited_company',
  ...extra,
});

/** BrightManager's export. */
export const MANAGER_BATCHES = [
  {
    type: 'clients',
    records: [
      client('M-1', 'ACME01', 'Acme Trading Ltd', { companyNumber: '01234567', utr: '8123456780', phone: '+441132496000' }),
      client('M-3', 'PEAK01', 'Peak Dental Care Ltd', { email: 'hello@peakdental.example' }),
      client('M-4', 'CONF01', 'Conflicted Ltd', { companyNumber: '05555555', utr: '6123561509' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      {
        ref: 'MP-1',
        firstName: 'Jane',
        lastName: 'Smith',
        email: 'jane@acme.example',
        phone: '+447911123456',
        clients: [{ ref: 'M-1', role: 'director' }],
      },
      // one product's two records of one person (name and email): never joined, a review item
      {
        ref: 'MP-2',
        firstName: 'Tom',
        lastName: 'Brown',
        email: 'tom@brown.example',
        phone: '+447911123111',
        clients: [{ ref: 'M-3', role: 'director' }],
      },
      {
        ref: 'MP-3',
        firstName: 'Tom',
        lastName: 'Brown',
        email: 'tom@brown.example',
        phone: '+447911123222',
        clients: [{ ref: 'M-4', role: 'secretary' }],
      },
    ],
  },
];

/** BrightBooks' export: the same practice's clients and people as another product knows them. */
export const BOOKS_BATCHES = [
  {
    type: 'clients',
    records: [
      // joins M-1 by company number; another name and reference, a phone of its own, an email M-1 lacks
      client('B-1', 'A001', 'Acme Trading Limited', {
        companyNumber: '1234567',
        email: 'accounts@acme.example',
        phone: '+441132496999',
      }),
      // the same folded name and email as M-3, no identifier: a possible match
      client('B-3', 'A003', 'Peak Dental Care Limited', { email: 'HELLO@peakdental.example', phone: '+441132000111' }),
      // M-4's company number, another UTR: a conflict
      client('B-4', 'A004', 'Conflicted Ltd', { companyNumber: '05555555', utr: '1123666238' }),
      // M-1's UTR, but M-1 already has a BrightBooks record (B-1): one product twice
      client('B-5', 'A005', 'Acme Trading (Scotland) Ltd', { utr: '8123456780' }),
    ],
  },
  {
    type: 'contacts',
    records: [
      // the same person as MP-1 (name and email), another phone
      {
        ref: 'BP-1',
        firstName: 'Jane',
        lastName: 'Smith',
        email: 'jane@acme.example',
        phone: '+447911123789',
        clients: [{ ref: 'B-1', role: 'shareholder' }],
      },
    ],
  },
];
