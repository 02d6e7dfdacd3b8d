import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAst } from 'rolldown/parseAst';

/**
 * Function lengths as ESLint's `max-lines-per-function` counts them (first line to last line, blank
 * lines and comments included; a method or accessor from its name), measured on the oxc parser's
 * TypeScript AST. oxc is the parser vitest's bundler (rolldown) ships; once `oxlint` is a dev
 * dependency its `eslint/max-lines-per-function` rule can replace this module.
 */
export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

type Node = { type: string; start: number; end: number; [key: string]: unknown };

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const WRAPPERS = new Set(['MethodDefinition', 'Property', 'PropertyDefinition', 'TSAbstractMethodDefinition']);

export function longFunctions(root: string, folders: string[], max: number): LongFunction[] {
  return folders.flatMap((folder) => sourceFiles(join(root, folder))).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    const lineOf = lineIndex(text);
    return functionsIn(parseAst(text, { lang: 'ts', sourceType: 'module' }, path) as unknown as Node)
      .map(({ node, name }) => ({ file: relative(root, path), line: lineOf(node.start), name, lines: lineOf(node.end) - lineOf(node.start) + 1 }))
      .filter((f) => f.lines > max);
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'cdk.out' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Every function, measured from its wrapper (method, property) where it has one, named as well as the AST allows. */
function functionsIn(program: Node): { node: Node; name: string }[] {
  const found: { node: Node; name: string }[] = [];
  const visit = (node: Node, parent: Node | undefined, parentName: string): void => {
    const name = nameOf(node, parent) ?? parentName;
    if (FUNCTIONS.has(node.type)) found.push({ node: parent && WRAPPERS.has(parent.type) ? parent : node, name });
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as Node).type === 'string') visit(child as Node, node, name);
      }
    }
  };
  visit(program, undefined, '(module)');
  return found;
}

function nameOf(node: Node, parent: Node | undefined): string | undefined {
  const id = (n: unknown) => (n && typeof n === 'object' && 'name' in n ? String((n as { name: unknown }).name) : undefined);
  if (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') return id(node.id);
  if (FUNCTIONS.has(node.type) && parent) {
    if (WRAPPERS.has(parent.type)) return id(parent.key);
    if (parent.type === 'VariableDeclarator') return id(parent.id);
  }
  return undefined;
}
