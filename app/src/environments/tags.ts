import type { EnvironmentRecord } from './record.js';

/** Tag keys on every AWS resource envbot owns; the orphan sweep finds resources by them. */
export const TAG_ENV = 'envbot:env';
export const TAG_OWNER = 'envbot:owner';
export const TAG_BRANCH = 'envbot:branch';
export const TAG_SOURCE = 'envbot:source';
export const TAG_MANAGED = 'envbot:managed';
/** Which envbot installation (its cluster) owns it: two installations in one account never sweep each other. */
export const TAG_INSTALLATION = 'envbot:installation';

export interface Tag {
  key: string;
  value: string;
}

/** AWS tag values allow a limited alphabet; Slack user ids and branch names fit after this. */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}

export function tagsFor(record: Pick<EnvironmentRecord, 'name' | 'owner' | 'branch' | 'source'>, installation: string): Tag[] {
  return [
    { key: TAG_MANAGED, value: 'true' },
    { key: TAG_INSTALLATION, value: installation },
    { key: TAG_ENV, value: record.name },
    { key: TAG_OWNER, value: tagValue(record.owner) },
    { key: TAG_BRANCH, value: tagValue(record.branch) },
    { key: TAG_SOURCE, value: record.source },
  ];
}
