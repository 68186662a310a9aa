// Reference data for realistic UK practice records: real postcode districts with their post towns, counties and
// Ofcom's drama telephone ranges (numbers reserved for fiction, so no real line is ever printed), common British
// names, and the check-digit rules of VAT numbers and UTRs (HMRC's weighted sums, as python-stdnum checks them).

export interface District {
  outward: string;
  town: string;
  county: string | null;
  /** Ofcom drama range: the number's prefix and how many digits follow (1,000 numbers each). */
  phone: { prefix: string; digits: number };
  nation: 'england' | 'scotland' | 'wales' | 'northern_ireland';
}

const d = (outwards: string[], town: string, county: string | null, prefix: string, digits: number, nation: District['nation'] = 'england'): District[] =>
  outwards.map((outward) => ({ outward, town, county, phone: { prefix, digits }, nation }));

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

export const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans',
  'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis', 'James', 'Phillips',
  'Mason', 'Mitchell', 'Rose', 'Ahmed', 'Ali', 'Hussain', 'Singh', 'Kaur', 'Begum', 'Shah', 'Chen', 'Wong', 'Nowak', "O'Brien",
  "O'Neill", 'Murphy', 'Kelly', 'MacDonald', 'Campbell', 'Stewart', 'Robertson', 'Morrison', 'Fraser', 'Reid', 'Hughes',
  'Edwards', 'Morgan', 'Griffiths', 'Price', 'Lloyd', 'Owen', 'Bennett', 'Cooper', 'Hill', 'Ward', 'Morris', 'King', 'Baker',
  'Harrison', 'Turner', 'Parker', 'Cook', 'Moore', 'Carter', 'Marshall', 'Knight', 'Fletcher', 'Holmes', 'Barker', 'Shaw',
  'Lowe', 'Harris', 'Dixon', 'Atkinson', 'Hartley', 'Ashworth', 'Pickering', 'Sutcliffe', 'Whitaker', 'Lambert', 'Pearson',
  'Fox', 'Chapman', 'Webb', 'Russell', 'Palmer', 'Ellis', 'Gill', 'Okafor', 'Adeyemi', 'Mensah', 'Kowalski', 'Byrne',
  'Doherty', 'Quinn', 'Maguire', 'Gallagher', 'Jenkins', 'Rees', 'Powell', 'Pugh', 'Thomas', 'Scott', 'Young', 'Allen',
];

export const MALE_NAMES = [
  'Oliver', 'George', 'Harry', 'Jack', 'Jacob', 'Noah', 'Charlie', 'Muhammad', 'Thomas', 'Oscar', 'William', 'James', 'Leo',
  'Alfie', 'Henry', 'Joshua', 'Freddie', 'Archie', 'Ethan', 'Isaac', 'Daniel', 'Samuel', 'David', 'Michael', 'Paul', 'Mark',
  'Andrew', 'Richard', 'Stephen', 'Ian', 'Gareth', 'Rhys', 'Callum', 'Euan', 'Hamish', 'Ciaran', 'Arjun', 'Imran', 'Tomasz',
  'Kwame', 'Graham', 'Neil', 'Simon', 'Peter', 'Robert', 'Christopher', 'Matthew', 'Adam', 'Ryan', 'Liam',
];

export const FEMALE_NAMES = [
  'Amelia', 'Olivia', 'Isla', 'Emily', 'Ava', 'Jessica', 'Sophie', 'Grace', 'Lily', 'Mia', 'Charlotte', 'Chloe', 'Ella', 'Evie',
  'Poppy', 'Ruby', 'Sarah', 'Emma', 'Claire', 'Rachel', 'Helen', 'Karen', 'Susan', 'Joanne', 'Nicola', 'Priya', 'Aisha',
  'Fatima', 'Zara', 'Siobhan', 'Niamh', 'Megan', 'Bethan', 'Kirsty', 'Fiona', 'Catherine', 'Elizabeth', 'Victoria', 'Hannah',
  'Laura', 'Gemma', 'Louise', 'Anna', 'Agnieszka', 'Ngozi', 'Mei', 'Harpreet', 'Eilidh', 'Ffion', 'Aoife',
];

export const PLACE_WORDS = [
  'Pennine', 'Dales', 'Riverside', 'Northgate', 'Harbour', 'Moorland', 'Castle', 'Abbey', 'Kingsway', 'Meadow', 'Oakwood',
  'Ashfield', 'Brookside', 'Highfield', 'Westfield', 'Fairway', 'Granite', 'Thistle', 'Clyde', 'Severn', 'Mersey', 'Tyne',
  'Thames', 'Cotswold', 'Chiltern', 'Peak', 'Wolds', 'Fenland', 'Heritage', 'Crown', 'Union', 'Albion', 'Phoenix', 'Summit',
  'Lighthouse', 'Compass', 'Anchor', 'Beacon', 'Willow', 'Heather', 'Bracken', 'Saltire', 'Dragon', 'Lagan', 'Tamar',
];

export const TRADES = [
  'Joinery', 'Plumbing & Heating', 'Electrical Services', 'Building Services', 'Roofing', 'Landscapes', 'Logistics', 'Haulage',
  'Dental Care', 'Veterinary Practice', 'Physiotherapy', 'Design', 'Digital', 'Consulting', 'Engineering', 'Fabrications',
  'Property Management', 'Lettings', 'Estates', 'Catering', 'Bakery', 'Brewing Co', 'Coffee Roasters', 'Motors', 'Hair Studio',
  'Florists', 'Print', 'Media', 'Software', 'Recruitment', 'Cleaning Services', 'Care', 'Pharmacy', 'Opticians', 'Farms',
  'Holdings', 'Investments', 'Developments', 'Interiors', 'Marine', 'Scaffolding', 'Plant Hire', 'Training', 'Nurseries',
];

export const STREETS = [
  'High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Park Avenue', 'Green Lane', 'Manor Road',
  'Kings Road', 'Queens Road', 'The Crescent', 'Church Street', 'London Road', 'York Road', 'Albert Street', 'New Road',
  'Grange Road', 'Westgate', 'Market Place', 'Bridge Street', 'North Street', 'School Lane', 'The Green', 'Chapel Street',
  'Springfield Road', 'Orchard Close', 'Meadow Way', 'Castle Street', 'Water Lane', 'George Street',
];

export const BUSINESS_PREMISES = ['Business Park', 'Industrial Estate', 'Enterprise Centre', 'Trade Park', 'House', 'Court', 'Works', 'Mills'];

/** A 9-digit UK VAT number (without GB) whose weighted sum mod 97 is 0 or 55, the two schemes HMRC issues. */
export function vatDigits(first7: string, scheme: 0 | 55): string {
  const weights = [8, 7, 6, 5, 4, 3, 2];
  const sum = [...first7].reduce((acc, ch, i) => acc + Number(ch) * weights[i]!, 0);
  // The last two digits count once as a two-digit number (weights 10 and 1).
  const check = (((scheme - sum) % 97) + 97) % 97;
  return first7 + String(check).padStart(2, '0');
}

/** A 9-digit VAT number that fails the check: the check digits moved off every accepted sum. */
export function badVatDigits(first7: string): string {
  const good = Number(vatDigits(first7, 0).slice(7));
  for (const delta of [1, 2, 3, 5, 7, 11]) {
    const check = (good + delta) % 97;
    const sum = [...first7].reduce((acc, ch, i) => acc + Number(ch) * [8, 7, 6, 5, 4, 3, 2][i]!, 0) + check;
    if (![0, 42, 55].includes(sum % 97)) return first7 + String(check).padStart(2, '0');
  }
  throw new Error('unreachable: some check digits fail');
}

/** A UTR: a check digit in front of 9 digits (weights 6 7 8 9 10 5 4 3 2, mod 11). */
export function utrDigits(last9: string): string {
  const weights = [6, 7, 8, 9, 10, 5, 4, 3, 2];
  const sum = [...last9].reduce((acc, ch, i) => acc + Number(ch) * weights[i]!, 0) % 11;
  return '21987654321'[sum]! + last9;
}

/** A UTR whose check digit does not match. */
export function badUtrDigits(last9: string): string {
  const good = utrDigits(last9);
  const wrong = (Number(good[0]) + 1 + Number(last9[8])) % 10;
  return String(wrong === Number(good[0]) ? (wrong + 1) % 10 : wrong) + last9;
}
