import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseRepoSettings } from '../../app/src/github/connection/repo-settings-schema.js';

describe('.envbot.yml', () => {
  it('is optional: an empty file means the defaults', () => {
    expect(parseRepoSettings('')).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
    expect(parseRepoSettings('# nothing here\n')).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it('overrides app settings, size and preview rules', () => {
    const text = ['containerPort: 3000', 'healthCheckPath: /healthz', 'size: s', 'autoPreview:', '  onOpen: true', '  label: deploy-me', 'rebuildOnPush: false'].join('\n');
    expect(parseRepoSettings(text)).toEqual({
      ok: true,
      settings: {
        appSettings: { containerPort: 3000, healthCheckPath: '/healthz' },
        size: 's',
        autoPreview: { onOpen: true, label: 'deploy-me', drafts: false },
        rebuildOnPush: false,
      },
    });
  });

  const PATH_RULE = `must start with "/" and use only URL path characters (letters, digits, - . _ ~ ! $ & ' ( ) * + , ; = : @ % / ?), e.g. /health`;
  const invalid: [string, string, string[]][] = [
    ['a size above the cap', 'size: l', ['`size`: is larger than this envbot allows (at most m); allowed: xs, s, m']],
    ['an unknown size', 'size: huge', ['`size`: must be one of xs, s, m']],
    ['a port out of range', 'containerPort: 70000', ['`containerPort`: must be a whole number from 1 to 65535']],
    ['a port as text', 'containerPort: "8080"', ['`containerPort`: must be a whole number from 1 to 65535']],
    ['a relative health path', 'healthCheckPath: health', [`\`healthCheckPath\`: ${PATH_RULE}`]],
    // Echoed in Slack and PR comments: no mention syntax, no Markdown, no backticks.
    ['a health path carrying a Slack mention', 'healthCheckPath: /<!channel>', [`\`healthCheckPath\`: ${PATH_RULE}`]],
    ['a health path carrying Markdown', 'healthCheckPath: "/x](https://evil.example) `y`"', [`\`healthCheckPath\`: ${PATH_RULE}`]],
    ['a misspelt key', 'containerport: 80', ['`containerport`: unknown key (did you mean `containerPort`?); allowed keys: containerPort, healthCheckPath, size, autoPreview, rebuildOnPush, protection, sleepAfterIdleMinutes, idleSleep']],
    ['an unknown nested key', 'autoPreview:\n  drafts: yes\n  labels: x', [
      '`autoPreview.drafts`: must be true or false',
      '`autoPreview.labels`: unknown key (did you mean `label`?); allowed keys: onOpen, label, drafts',
    ]],
    ['a list at the top', '- size: s', ['.envbot.yml must be a mapping of keys (containerPort, healthCheckPath, size, autoPreview, rebuildOnPush, protection, sleepAfterIdleMinutes, idleSleep)']],
    ['broken YAML', 'size: [s', ['.envbot.yml is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 9']],
  ];
  it.each(invalid)('rejects %s, naming the key and what is allowed', (_case, text, problems) => {
    expect(parseRepoSettings(text)).toEqual({ ok: false, problems });
  });

  it('keeps query strings and percent-escapes in a health path', () => {
    expect(parseRepoSettings('healthCheckPath: /actuator/health?probe=lb&x=%20')).toMatchObject({ ok: true, settings: { appSettings: { healthCheckPath: '/actuator/health?probe=lb&x=%20' } } });
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill('*' + 'abcdefghi'[i]).join(', ')}]`), 'size: *i'].join('\n');
    expect(parseRepoSettings(bomb)).toEqual({ ok: false, problems: ['.envbot.yml is not valid YAML: Excessive alias count indicates a resource exhaustion attack'] });
  });

  it('honours the limits the bot is configured with', () => {
    const limits = { maxSize: 'xl' as const, ports: { min: 1024, max: 9999 } };
    expect(parseRepoSettings('size: xl', limits)).toMatchObject({ ok: true, settings: { size: 'xl' } });
    expect(parseRepoSettings('containerPort: 80', limits)).toEqual({ ok: false, problems: ['`containerPort`: must be a whole number from 1024 to 9999'] });
  });
});
