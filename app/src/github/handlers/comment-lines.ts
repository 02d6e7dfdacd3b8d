/** Every comment envbot writes carries this, so it never reads its own comments as commands. */
export const BOT_MARKER = '<!-- envbot';

/** More than this many commands in one comment is almost certainly a paste, not a request. */
export const MAX_COMMANDS_PER_COMMENT = 5;

/**
 * The `/env …` lines of a PR comment, in order. Lines in code blocks and quotes are examples or
 * replies, not requests, so they are skipped; `/envfoo` is not a command.
 */
export function commandLines(body: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || line.startsWith('>')) continue;
    if (/^\/env(\s|$)/.test(line)) lines.push(line);
  }
  return lines;
}
