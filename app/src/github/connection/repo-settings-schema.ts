import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { nearest } from '../../commands/nearest.js';
import { SIZE_NAMES, type SizeName } from '../../environments/sizes.js';
import { FRONT_DOOR_KEYS, frontDoorRepoShape } from '../../environments/repo-front-door.js';
import type { EnvironmentRecord } from '../../environments/record.js';

/** The per-repository file, read at the commit being deployed. */
export const SETTINGS_FILE = '.envbot.yml';

/** How far a repository may go; the bot's operator decides (see createGitHubFrontEnd). */
export interface SettingsLimits {
  /** Largest task size a repository may ask for. */
  maxSize: SizeName;
  /** Container ports a repository may use (inclusive). */
  ports: { min: number; max: number };
}

export const DEFAULT_LIMITS: SettingsLimits = { maxSize: 'm', ports: { min: 1, max: 65535 } };

/** Effective settings: the file over these defaults. */
export interface RepoSettings {
  /** Goes to the environment record; the reconciler lays it over the profile. */
  appSettings: NonNullable<EnvironmentRecord['appSettings']>;
  size?: SizeName;
  autoPreview: { onOpen: boolean; label: string; drafts: boolean };
  rebuildOnPush: boolean;
}

export const DEFAULT_SETTINGS: RepoSettings = {
  appSettings: {},
  autoPreview: { onOpen: false, label: 'preview', drafts: false },
  rebuildOnPush: true,
};

const TOP_KEYS = ['containerPort', 'healthCheckPath', 'size', 'autoPreview', 'rebuildOnPush', ...FRONT_DOOR_KEYS] as const;
const AUTO_PREVIEW_KEYS = ['onOpen', 'label', 'drafts'] as const;

export type SettingsResult = { ok: true; settings: RepoSettings } | { ok: false; problems: string[] };

const HEALTH_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const HEALTH_PATH_RULE = 'must start with "/" and use only URL path characters (letters, digits, - . _ ~ ! $ & \' ( ) * + , ; = : @ % / ?), e.g. /health';

function schemaFor(limits: SettingsLimits) {
  const sizes = SIZE_NAMES.slice(0, SIZE_NAMES.indexOf(limits.maxSize) + 1);
  const { min, max } = limits.ports;
  const port = `must be a whole number from ${min} to ${max}`;
  const bool = 'must be true or false';
  return z
    .strictObject({
      containerPort: z.number({ error: port }).int({ error: port }).min(min, { error: port }).max(max, { error: port }),
      healthCheckPath: z
        .string({ error: 'must be a path such as /health' })
        .max(1024, { error: 'must be at most 1024 characters (the load balancer limit)' })
        // URL path (and query) characters only: the path is echoed in Slack and PR comments, where
        // `<!channel>`, backticks or Markdown links must not be able to hide.
        .regex(HEALTH_PATH, { error: HEALTH_PATH_RULE }),
      size: z
        .enum(SIZE_NAMES, { error: `must be one of ${sizes.join(', ')}` })
        .refine((s) => sizes.includes(s), { error: `is larger than this envbot allows (at most ${limits.maxSize}); allowed: ${sizes.join(', ')}` }),
      autoPreview: z
        .strictObject(
          {
            onOpen: z.boolean({ error: bool }),
            label: z.string({ error: 'must be a label name' }).min(1, { error: 'must not be empty' }).max(50, { error: 'must be at most 50 characters' }),
            drafts: z.boolean({ error: bool }),
          },
          { error: 'must be a mapping with onOpen, label and/or drafts' },
        )
        .partial(),
      rebuildOnPush: z.boolean({ error: bool }),
      // Protection and idle sleep: asked here, granted by `up` within the admin's limits.
      ...frontDoorRepoShape,
    })
    .partial();
}

/**
 * `.envbot.yml` text → effective settings, or problems that each name the key and what is
 * allowed (they go into a PR reply, so the author can fix the file).
 */
export function parseRepoSettings(text: string, limits: SettingsLimits = DEFAULT_LIMITS): SettingsResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, problems: [`${SETTINGS_FILE} is not valid YAML: ${(err as Error).message.split('\n')[0]!.replace(/:$/, '')}`] };
  }
  if (doc === null || doc === undefined) return { ok: true, settings: DEFAULT_SETTINGS };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, problems: [`${SETTINGS_FILE} must be a mapping of keys (${TOP_KEYS.join(', ')})`] };
  }
  const parsed = schemaFor(limits).safeParse(doc);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(describe) };
  const f = parsed.data;
  return {
    ok: true,
    settings: {
      appSettings: {
        ...(f.containerPort !== undefined && { containerPort: f.containerPort }),
        ...(f.healthCheckPath !== undefined && { healthCheckPath: f.healthCheckPath }),
        ...(f.protection !== undefined && { protection: f.protection }),
        ...(f.sleepAfterIdleMinutes !== undefined && { sleepAfterIdleMinutes: f.sleepAfterIdleMinutes }),
        ...(f.idleSleep !== undefined && { idleSleep: f.idleSleep }),
      },
      ...(f.size !== undefined && { size: f.size }),
      autoPreview: { ...DEFAULT_SETTINGS.autoPreview, ...f.autoPreview },
      rebuildOnPush: f.rebuildOnPush ?? DEFAULT_SETTINGS.rebuildOnPush,
    },
  };
}

function describe(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const allowed: readonly string[] = path.join('.') === 'autoPreview' ? AUTO_PREVIEW_KEYS : TOP_KEYS;
    return issue.keys.map((key) => {
      const guess = nearest(key, allowed);
      return `\`${[...path, key].join('.')}\`: unknown key${guess ? ` (did you mean \`${guess}\`?)` : ''}; allowed keys: ${allowed.join(', ')}`;
    });
  }
  return [`\`${path.join('.')}\`: ${issue.message}`];
}
