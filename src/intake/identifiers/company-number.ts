// UK Companies House company numbers (SPEC §4 companyNumber).
//
// Source: Companies House, "Company registration numbers" — every company number is 8 characters: 8 digits for
// companies of England and Wales, or a 2-letter prefix naming the register and 6 digits (SC Scotland, NI Northern
// Ireland, OC/SO/NC limited liability partnerships, LP/SL limited partnerships, FC overseas companies, CE
// charitable incorporated organisations, …); Northern Ireland companies registered before 1922 carry one letter
// and 7 digits (R0000123), and the societies on the Mutuals Public Register 2 letters, 5 digits and a letter
// (IP12345R). The prefix list grows, so any letters are accepted in those positions.
// Spreadsheets turn 01234567 into 1234567: an all-digit number of 5–7 digits is left-padded with zeros (fewer
// than 5 digits is more likely a wrong field than a lost zero, and is refused).
import { invalid, valid, type Parsed } from './parsed.ts';

const FORMS_RE = /^(?:\d{8}|[A-Z]{2}\d{6}|[A-Z]\d{7}|[A-Z]{2}\d{5}[A-Z])$/;
const LOST_ZEROS_RE = /^\d{5,7}$/;
const SPACES_RE = /\s+/g;

export function parseCompanyNumber(text: string): Parsed {
  // Most numbers come as they are stored (FORMS_RE allows no space and no lower case): no clean-up to make.
  if (FORMS_RE.test(text)) return valid(text);
  const compact = text.replace(SPACES_RE, '').toUpperCase();
  const number = LOST_ZEROS_RE.test(compact) ? compact.padStart(8, '0') : compact;
  if (FORMS_RE.test(number)) return valid(number);
  return invalid(
    'is not a valid Companies House number (8 characters: 8 digits, 2 letters and 6 digits, 1 letter and 7 digits, or 2 letters, 5 digits and a letter)',
  );
}
