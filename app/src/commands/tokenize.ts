/**
 * Splits command text into words. Double or single quotes group words (`set GREETING="hi there"`);
 * Slack's smart quotes count as quotes. Returns an error for an unclosed quote.
 */
export function tokenize(text: string): { ok: true; words: string[] } | { ok: false; reason: string } {
  const normalized = text.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of normalized) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) return { ok: false, reason: `a ${quote} quote is not closed` };
  if (inWord) words.push(current);
  return { ok: true, words };
}
