// Messages that read right: "1 batch", "2 batches"; one full stop at the end of a sentence, whatever the server's
// detail already ended with.

/** `count(1, 'batch')` → "1 batch", `count(2, 'batch')` → "2 batches", `count(3, 'address', 'addresses')`. */
export function count(n: number, singular: string, plural = `${singular}${/(s|x|ch|sh)$/.test(singular) ? 'es' : 's'}`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? singular : plural}`;
}

/** The text with exactly one closing full stop (or its own ? or !). */
export const sentence = (text: string) => `${text.trimEnd().replace(/[.\s]+$/, '')}${/[?!]$/.test(text.trimEnd()) ? '' : '.'}`;
