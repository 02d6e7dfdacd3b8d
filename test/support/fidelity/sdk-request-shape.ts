import { NormalizedSchema } from '@smithy/core/schema';

/**
 * Checks a universal target's `Input` against the target API's request shape, read from the SDK's
 * own model: each @aws-sdk/client-* package exports its operations' static schemas at runtime
 * (e.g. `UpdateServiceRequest$`), which @smithy/core's NormalizedSchema reads. Scheduler (like Step
 * Functions' SDK integrations) takes member names in PascalCase even where the service's own wire
 * names are camelCase, so `cluster` is wrong and `Cluster` right.
 */

/** Target services whose models the harness knows: the SDK package's exports, loaded on demand. */
const MODELS: Record<string, () => Promise<Record<string, unknown>>> = {
  ecs: () => import('@aws-sdk/client-ecs') as Promise<Record<string, unknown>>,
};

/** Problems found, empty when the input fits; undefined when the service's model is not known here. */
export async function universalInputProblems(service: string, action: string, input: unknown): Promise<string[] | undefined> {
  const load = MODELS[service];
  if (!load) return undefined;
  const exports = await load();
  const schema = exports[`${action[0]!.toUpperCase()}${action.slice(1)}Request$`];
  if (!schema) return [`${service}:${action} is not an operation of the ${service} SDK`];
  const problems: string[] = [];
  check(NormalizedSchema.of(schema as never), input, 'Input', problems);
  return problems;
}

const pascal = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;

function check(schema: NormalizedSchema, value: unknown, path: string, problems: string[]): void {
  if (schema.isStructSchema()) return checkStruct(schema, value, path, problems);
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return void problems.push(`${path} must be a list`);
    value.forEach((item, i) => check(schema.getValueSchema(), item, `${path}[${i}]`, problems));
    return;
  }
  if (schema.isMapSchema()) {
    if (!isObject(value)) return void problems.push(`${path} must be an object`);
    for (const [key, item] of Object.entries(value)) check(schema.getValueSchema(), item, `${path}.${key}`, problems);
    return;
  }
  const expected = schema.isStringSchema() ? 'string' : schema.isNumericSchema() ? 'number' : schema.isBooleanSchema() ? 'boolean' : undefined;
  if (expected && typeof value !== expected) problems.push(`${path} must be a ${expected}`);
}

function checkStruct(schema: NormalizedSchema, value: unknown, path: string, problems: string[]): void {
  if (!isObject(value)) return void problems.push(`${path} must be an object`);
  const members = new Map<string, NormalizedSchema>();
  for (const [name, member] of schema.structIterator()) members.set(pascal(name), member);
  for (const [key, item] of Object.entries(value)) {
    const member = members.get(key);
    if (member) check(member, item, `${path}.${key}`, problems);
    else if (members.has(pascal(key))) problems.push(`${path}.${key}: universal targets take parameters in PascalCase — use ${pascal(key)}`);
    else problems.push(`${path}.${key} is not a parameter of ${schema.getName()}`);
  }
  // A static structure schema lists its required members first and ends with their count.
  const required = (schema.getSchema() as unknown[])[6];
  const names = [...members.keys()].slice(0, typeof required === 'number' ? required : 0);
  for (const name of names) if (!(name in value)) problems.push(`${path}.${name} is required by ${schema.getName()}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
