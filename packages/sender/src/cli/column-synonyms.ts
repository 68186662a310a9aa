// Suggestions for CSV headers that name no field: what practice software and spreadsheets commonly call each field
// (`Company Name`, `Client Code`, `Surname`, `Post Code` …), and close spellings of those names (`Postcde`,
// `Surnmae`). A suggestion is only ever offered: `send` never guesses a column — `brightclient map` writes the
// suggestions into a mapping file for a person to check.
import type { RecordType } from '../contract.generated.ts';

/** Compares header names ignoring case, spaces, `_`, `-` and `.`: `Client Reference` = `client_reference`. */
export const columnKey = (name: string) => name.toLowerCase().replace(/[\s_.-]+/g, '');

const SHARED = {
  email: ['emailaddress', 'mail', 'contactemail', 'emailid'],
  phone: ['telephone', 'tel', 'telno', 'phonenumber', 'phoneno', 'telephonenumber', 'mobile', 'mobilenumber', 'contactnumber', 'landline'],
};

/** Per record type and target (a field, or one of the link / owner columns), the names that mean it. */
export const SYNONYMS: Record<RecordType, Record<string, string[]>> = {
  clients: {
    ref: ['id', 'clientid', 'recordid', 'externalid', 'sourceid', 'sourceref', 'internalid', 'uuid', 'guid'],
    clientReference: [
      'clientcode',
      'code',
      'clientref',
      'reference',
      'clientno',
      'clientnumber',
      'accountcode',
      'accountref',
      'accountnumber',
      'ourref',
    ],
    name: [
      'companyname',
      'clientname',
      'registeredname',
      'legalname',
      'businessname',
      'organisation',
      'organization',
      'organisationname',
      'organizationname',
      'company',
      'entityname',
      'fullname',
    ],
    clientType: ['type', 'entitytype', 'businesstype', 'companytype', 'legalform', 'legalstructure', 'structure', 'category'],
    companyNumber: [
      'companyno',
      'crn',
      'companyregistrationnumber',
      'companyregno',
      'registrationnumber',
      'registeredno',
      'registerednumber',
      'companieshousenumber',
      'companieshouseno',
      'regno',
    ],
    vatNumber: ['vat', 'vatno', 'vatreg', 'vatregno', 'vatregistrationnumber', 'vrn'],
    utr: ['uniquetaxpayerreference', 'taxreference', 'taxref', 'ctutr', 'sautr', 'corporationtaxutr'],
    ...SHARED,
    website: ['web', 'url', 'site', 'webaddress', 'websiteurl', 'homepage', 'www'],
  },
  contacts: {
    ref: ['id', 'contactid', 'personid', 'recordid', 'externalid', 'sourceid', 'uuid', 'guid'],
    title: ['salutation', 'honorific', 'prefix'],
    firstName: ['forename', 'forenames', 'givenname', 'givennames', 'first', 'fname', 'christianname'],
    lastName: ['surname', 'familyname', 'last', 'lname'],
    ...SHARED,
    dateOfBirth: ['dob', 'birthdate', 'birthday', 'born', 'dateborn'],
    niNumber: ['nino', 'ni', 'nationalinsurance', 'nationalinsurancenumber', 'nationalinsuranceno'],
    clientRefs: ['clients', 'clientids', 'linkedclients', 'companyrefs', 'companies'],
    roles: ['role', 'relationship', 'relationships', 'position', 'positions', 'capacity'],
  },
  addresses: {
    ref: ['id', 'addressid', 'recordid', 'externalid', 'sourceid', 'uuid', 'guid'],
    ownerType: ['ownerkind', 'belongsto', 'parenttype', 'entitytype'],
    ownerRef: ['owner', 'ownerid', 'parentref', 'parentid', 'entityref', 'entityid'],
    kind: ['type', 'addresstype', 'usage', 'purpose'],
    line1: ['address1', 'addressline1', 'addr1', 'add1', 'street', 'streetaddress', 'address', 'building'],
    line2: ['address2', 'addressline2', 'addr2', 'add2', 'locality'],
    town: ['city', 'posttown', 'towncity'],
    county: ['region', 'state', 'province'],
    postcode: ['postalcode', 'zip', 'zipcode', 'pcode'],
    country: ['countrycode', 'nation'],
    from: ['fromdate', 'datefrom', 'startdate', 'start', 'validfrom', 'since', 'movedin'],
    to: ['todate', 'dateto', 'enddate', 'end', 'validto', 'until', 'movedout'],
  },
};

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`, giving up above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Short names tolerate no typo (`tel` is not `to`); longer ones one, long ones two. */
const typosAllowed = (key: string) => (key.length <= 4 ? 0 : key.length <= 9 ? 1 : 2);

export interface Suggestion {
  target: string;
  why: 'synonym' | 'spelling';
  /** 0 for a synonym; the number of edits for a spelling. */
  distance: number;
}

/**
 * The target a header most likely means, among `targets` (those still without a column), or null when nothing is
 * close or two targets are equally close.
 */
export function suggestTarget(type: RecordType, header: string, targets: readonly string[]): Suggestion | null {
  const k = columnKey(header);
  if (k === '') return null;
  let best: Suggestion | null = null;
  let tied = false;
  for (const target of targets) {
    const names = [columnKey(target), ...(SYNONYMS[type][target] ?? [])];
    if (names.slice(1).includes(k)) return { target, why: 'synonym', distance: 0 };
    const within = (name: string) => {
      const allowed = Math.min(typosAllowed(name), typosAllowed(k));
      const d = editDistance(k, name, allowed);
      return d <= allowed ? d : Infinity;
    };
    const distance = Math.min(...names.map(within));
    if (distance === Infinity) continue;
    if (!best || distance < best.distance) {
      best = { target, why: 'spelling', distance };
      tied = false;
    } else if (distance === best.distance && target !== best.target) tied = true;
  }
  return tied ? null : best;
}
