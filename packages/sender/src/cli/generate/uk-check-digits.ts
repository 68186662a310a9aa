// The check-digit rules of UK VAT numbers and UTRs (HMRC's weighted sums, as python-stdnum checks them), to write
// numbers the server accepts and, for planted failures, numbers it refuses.

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
