/**
 * envbot's dependency rule, enforced by test/unit/architecture.test.ts (see docs/architecture.md).
 *
 * Layers from the top (who may call) to the bottom (who is called). A module may import its own
 * layer or any layer below it, never one above. The doors (slack, github, dashboard, wake) are
 * peers and do not import each other.
 */
const src = (folder) => `^app/src/${folder}/`;
const LAYERS = [
  { name: 'composition root', path: '^app/src/(main|compose|background|wire-front-ends|cli)\\.[jt]s$' },
  { name: 'doors', path: '^app/src/(slack|github|dashboard|wake)/' },
  { name: 'http', path: src('http') },
  { name: 'frontdoor', path: src('frontdoor') },
  { name: 'engine', path: src('engine') },
  { name: 'commands', path: src('commands') },
  { name: 'doctor', path: src('doctor') },
  { name: 'reaper', path: src('reaper') },
  { name: 'events', path: src('events') },
  { name: 'schedules', path: src('schedules') },
  { name: 'cost', path: src('cost') },
  { name: 'builds', path: src('builds') },
  { name: 'reconcile', path: src('reconcile') },
  { name: 'local', path: src('local') },
  // Config is read first but checks itself against AWS limits (ALB rules per listener), so it sits on aws/.
  { name: 'config', path: '^app/src/(config|logger)\\.[jt]s$' },
  { name: 'aws', path: src('aws') },
  { name: 'environments', path: src('(environments|types)') },
];

const upwardImports = LAYERS.slice(1).map((layer, i) => ({
  name: `layer-${layer.name.replace(/\s+/g, '-')}`,
  severity: 'error',
  comment: `${layer.name} may not import a layer above it (${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')})`,
  from: { path: layer.path },
  to: { path: LAYERS.slice(0, i + 1).map((l) => `(${l.path})`).join('|') },
}));

const DOORS = ['slack', 'github', 'dashboard', 'wake'];
const doorsArePeers = DOORS.map((door) => ({
  name: `door-${door}-stays-in-its-lane`,
  severity: 'error',
  comment: `${door}/ may not import another door; shared door code lives in frontdoor/ or http/`,
  from: { path: src(door) },
  to: { path: `^app/src/(${DOORS.filter((d) => d !== door).join('|')})/` },
}));

const onlyIn = (name, library, allowed) => ({
  name,
  severity: 'error',
  comment: `only ${allowed.join('/, ')}/ may import ${library}`,
  from: { path: '^app/src/', pathNot: `^app/src/(${allowed.join('|')})/` },
  to: { path: `(^|/)(node_modules/)?${library.replace('/', '\\/')}` },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'a cycle means two modules cannot be read or changed apart', from: {}, to: { circular: true } },
    ...upwardImports,
    ...doorsArePeers,
    onlyIn('aws-sdk-only-in-aws', '@aws-sdk/', ['aws', 'local']),
    onlyIn('bolt-only-in-slack', '@slack/bolt', ['slack']),
    onlyIn('octokit-only-in-github', '@octokit/', ['github']),
    {
      name: 'no-test-code-in-app',
      severity: 'error',
      comment: 'production code never imports test support',
      from: { path: '^(app|infra)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6'],
    tsPreCompilationDeps: true,
  },
};
