// Places for realistic UK practice records: real postcode districts with their post towns, counties and Ofcom's
// drama telephone ranges (numbers reserved for fiction, so no real line is ever printed), and the words streets,
// business premises and place-named businesses are made of.
import type { Draws } from './draws.ts';

export interface District {
  outward: string;
  town: string;
  county: string | null;
  /** Ofcom drama range: the number's prefix and how many digits follow (1,000 numbers each). */
  phone: { prefix: string; digits: number };
  nation: 'england' | 'scotland' | 'wales' | 'northern_ireland';
}

const d = (
  outwards: string[],
  town: string,
  county: string | null,
  prefix: string,
  digits: number,
  nation: District['nation'] = 'england',
): District[] => outwards.map((outward) => ({ outward, town, county, phone: { prefix, digits }, nation }));

export const DISTRICTS: District[] = [
  ...d(['LS1', 'LS2', 'LS6', 'LS7', 'LS11', 'LS12', 'LS28'], 'Leeds', 'West Yorkshire', '0113 496 0', 3),
  ...d(['S1', 'S2', 'S10', 'S11'], 'Sheffield', 'South Yorkshire', '0114 496 0', 3),
  ...d(['LE1', 'LE2', 'LE3'], 'Leicester', 'Leicestershire', '0116 496 0', 3),
  ...d(['BS1', 'BS6', 'BS8'], 'Bristol', null, '0117 496 0', 3),
  ...d(['RG1', 'RG2', 'RG30'], 'Reading', 'Berkshire', '0118 496 0', 3),
  ...d(['B1', 'B15', 'B30'], 'Birmingham', 'West Midlands', '0121 496 0', 3),
  ...d(['L1', 'L3', 'L18'], 'Liverpool', 'Merseyside', '0151 496 0', 3),
  ...d(['M1', 'M2', 'M4', 'M20'], 'Manchester', 'Greater Manchester', '0161 496 0', 3),
  ...d(['NE1', 'NE2', 'NE6'], 'Newcastle upon Tyne', 'Tyne and Wear', '0191 498 0', 3),
  ...d(['EC1A', 'EC2M', 'SW1A', 'SE1', 'N1', 'E14', 'W1D', 'WC2N'], 'London', null, '020 7946 0', 3),
  ...d(['EH1', 'EH3', 'EH10'], 'Edinburgh', 'Midlothian', '0131 496 0', 3, 'scotland'),
  ...d(['G1', 'G12', 'G41'], 'Glasgow', 'Lanarkshire', '0141 496 0', 3, 'scotland'),
  ...d(['CF10', 'CF11', 'CF24'], 'Cardiff', 'South Glamorgan', '029 2018 0', 3, 'wales'),
  ...d(['BT1', 'BT7', 'BT9'], 'Belfast', 'County Antrim', '028 9649 6', 3, 'northern_ireland'),
];

/** Letters allowed in the last two places of an inward code (Royal Mail leaves out C I K M O V). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export const PLACE_WORDS = [
  'Pennine',
  'Dales',
  'Riverside',
  'Northgate',
  'Harbour',
  'Moorland',
  'Castle',
  'Abbey',
  'Kingsway',
  'Meadow',
  'Oakwood',
  'Ashfield',
  'Brookside',
  'Highfield',
  'Westfield',
  'Fairway',
  'Granite',
  'Thistle',
  'Clyde',
  'Severn',
  'Mersey',
  'Tyne',
  'Thames',
  'Cotswold',
  'Chiltern',
  'Peak',
  'Wolds',
  'Fenland',
  'Heritage',
  'Crown',
  'Union',
  'Albion',
  'Phoenix',
  'Summit',
  'Lighthouse',
  'Compass',
  'Anchor',
  'Beacon',
  'Willow',
  'Heather',
  'Bracken',
  'Saltire',
  'Dragon',
  'Lagan',
  'Tamar',
];

export const STREETS = [
  'High Street',
  'Station Road',
  'Church Lane',
  'Victoria Road',
  'Mill Lane',
  'Park Avenue',
  'Green Lane',
  'Manor Road',
  'Kings Road',
  'Queens Road',
  'The Crescent',
  'Church Street',
  'London Road',
  'York Road',
  'Albert Street',
  'New Road',
  'Grange Road',
  'Westgate',
  'Market Place',
  'Bridge Street',
  'North Street',
  'School Lane',
  'The Green',
  'Chapel Street',
  'Springfield Road',
  'Orchard Close',
  'Meadow Way',
  'Castle Street',
  'Water Lane',
  'George Street',
];

export const BUSINESS_PREMISES = [
  'Business Park',
  'Industrial Estate',
  'Enterprise Centre',
  'Trade Park',
  'House',
  'Court',
  'Works',
  'Mills',
];

/** A postcode in the district: its outward code and a drawn inward code. */
export const postcodeIn = (draw: Draws, district: District) =>
  `${district.outward} ${draw.int(0, 9)}${draw.pick([...INWARD_LETTERS])}${draw.pick([...INWARD_LETTERS])}`;

/** A phone number of the district's drama range. */
export const phoneIn = (draw: Draws, district: District) => `${district.phone.prefix}${draw.digits(district.phone.digits)}`;
