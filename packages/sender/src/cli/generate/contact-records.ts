// A generated contact of a client: a British person with roles that fit the client's type (directors and
// secretaries of companies, partners, owners, trustees …), sometimes serving a second client, with title, email,
// phone and date of birth — and, for a planted share, one failure of a kind the server must report.
import type { Planted } from './expected-outcome.ts';
import { day, daysOf, slug, type Draws } from './draws.ts';
import type { ClientType } from './client-records.ts';
import type { GeneratedRecord, Planting, Rec } from './planting.ts';
import { drawPerson } from './uk-names.ts';
import { phoneIn, type District } from './uk-places.ts';

const CONTACT_DEFECTS = ['email', 'dob_future', 'dob_invalid', 'last_name', 'role', 'unknown_client', 'phone', 'duplicate'] as const;

/** A recent client that may get a contact of another client (a serial director, a trustee of several trusts). */
export interface ClientInfo {
  ref: string;
  type: ClientType;
  contacts: number;
}

const ROLES_BY_TYPE: Record<ClientType, (draw: Draws) => string[]> = {
  limited_company: () => [],
  llp: () => ['partner'],
  partnership: () => ['partner'],
  sole_trader: () => ['owner'],
  charity: () => ['trustee'],
  trust: () => ['trustee'],
  other: (draw) => [draw.pick(['primary_contact', 'other'])],
};

function rolesFor(draw: Draws, type: ClientType, k: number): string[] {
  if (type === 'limited_company') {
    if (k === 0) return draw.chance(0.4) ? ['director', 'shareholder'] : ['director'];
    return [
      draw.weighted([
        ['director', 50],
        ['secretary', 20],
        ['shareholder', 15],
        ['primary_contact', 15],
      ]),
    ];
  }
  if ((type === 'sole_trader' || type === 'charity') && k > 0)
    return [k === 1 && type === 'charity' && draw.chance(0.5) ? 'primary_contact' : type === 'charity' ? 'trustee' : 'primary_contact'];
  return ROLES_BY_TYPE[type](draw);
}

/** How many contacts a client of the type has. */
export const contactsPerClient: Record<ClientType, (draw: Draws) => number> = {
  limited_company: (draw) =>
    draw.weighted([
      [1, 35],
      [2, 40],
      [3, 20],
      [4, 5],
    ]),
  llp: (draw) => draw.int(2, 4),
  partnership: (draw) => draw.int(2, 3),
  sole_trader: (draw) =>
    draw.weighted([
      [1, 70],
      [2, 30],
    ]),
  charity: (draw) => draw.int(2, 4),
  trust: (draw) => draw.int(2, 3),
  other: (draw) => draw.int(1, 2),
};

export interface ContactOf {
  /** Which client of the export this is (duplicates are due a few clients later). */
  i: number;
  ref: string;
  type: ClientType;
  district: District;
  domain: string;
}

/** The `k`th contact of the client, with ref `contactRef`; may link it to one of the `recent` clients too. */
export function drawContact(
  draw: Draws,
  planting: Planting,
  client: ContactOf,
  k: number,
  contactRef: string,
  recent: ClientInfo[],
): GeneratedRecord {
  const { i, ref, type, district, domain } = client;
  const who = drawPerson(draw);
  const links: Rec[] = rolesFor(draw, type, k).map((role) => ({ ref, role }));
  // Some people serve several clients: a director of another company, a trustee of another trust.
  const open = recent.filter((c) => c.contacts < 4);
  const other = open.length > 20 && draw.chance(0.06) ? draw.pick(open) : undefined;
  if (other) {
    other.contacts++;
    links.push({ ref: other.ref, role: rolesFor(draw, other.type, 1)[0]! });
  }
  const contact: Rec = { ref: contactRef };
  if (draw.chance(0.8)) contact['title'] = who.title;
  contact['firstName'] = who.firstName;
  contact['lastName'] = who.lastName;
  if (draw.chance(0.85)) contact['email'] = `${slug(who.firstName)}.${slug(who.lastName)}@${domain}`;
  if (draw.chance(0.6)) contact['phone'] = phoneIn(draw, district);
  if (draw.chance(0.7)) contact['dateOfBirth'] = day(draw.int(daysOf(1945), daysOf(2000, 12, 31)));
  contact['clients'] = links;

  const kindC = planting.defect('contacts', CONTACT_DEFECTS);
  // Only a record with a planted failure differs from the record as drawn (what the corrected export sends).
  const asDrawnContact = kindC === null ? undefined : structuredClone(contact);
  const plantedContact: Planted[] = [];
  if (kindC === 'email') {
    contact['email'] = `${slug(who.firstName)}.${slug(who.lastName)}@@${domain}`;
    plantedContact.push({ field: 'email', code: 'invalid_email', note: 'email address with @@' });
  } else if (kindC === 'dob_future') {
    contact['dateOfBirth'] = `20${draw.int(70, 99)}-0${draw.int(1, 9)}-1${draw.int(0, 9)}`;
    plantedContact.push({ field: 'dateOfBirth', code: 'date_not_in_past', note: 'date of birth in the future (19xx typed as 20xx)' });
  } else if (kindC === 'dob_invalid') {
    contact['dateOfBirth'] = `19${draw.int(50, 99)}-02-30`;
    plantedContact.push({ field: 'dateOfBirth', code: 'invalid_date', note: 'date of birth 30 February' });
  } else if (kindC === 'last_name') {
    delete contact['lastName'];
    plantedContact.push({ field: 'lastName', code: 'required', note: 'last name missing' });
  } else if (kindC === 'role') {
    links[0]!['role'] = draw.pick(['chairman', 'bookkeeper', 'spouse']);
    plantedContact.push({ field: 'clients[0].role', code: 'invalid_value', note: 'role not in the list' });
  } else if (kindC === 'unknown_client') {
    links.push({ ref: planting.unknownRef('CL'), role: 'director' });
  } else if (kindC === 'phone') {
    contact['phone'] = `07${draw.digits(4)}`;
    plantedContact.push({ field: 'phone', code: 'invalid_phone', note: 'phone number cut short' });
  } else if (kindC === 'duplicate') {
    planting.duplicateLater(i, 'contacts', contact);
  }
  return planting.emit('contacts', contact, plantedContact, asDrawnContact);
}
