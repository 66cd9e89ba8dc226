// lint-effects: every React effect callback must return nothing or a cleanup
// function. React calls whatever an effect returns as its cleanup, so
// `useEffect(() => window.scrollTo({ top: 0 }), [page])` breaks the app in a
// browser whose scrollTo returns a Promise ("l is not a function"). The rule:
//   - the callback is an inline, non-async arrow or function with a block body;
//   - each of its own `return`s is bare, or returns a function expression or a
//     name (a cleanup held in a variable).
// Run by `npm run lint:effects` (make lint, make test). Prints every offence
// with file:line:column and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const effectHooks = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect']);

/** files lists the .ts and .tsx files under dir. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** hookName is the effect hook a call expression calls, or ''. */
function hookName(callee) {
  if (callee?.type === 'Identifier' && effectHooks.has(callee.name)) return callee.name;
  if (callee?.type === 'MemberExpression' && !callee.computed && effectHooks.has(callee.property?.name)) {
    return callee.property.name;
  }
  return '';
}

const isFunction = (n) => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';

/** walk visits every node under node; fn returns false to skip a node's children. */
function walk(node, fn) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, fn);
    return;
  }
  if (typeof node.type === 'string' && fn(node) === false) return;
  for (const key of Object.keys(node)) {
    if (key === 'parent') continue;
    const v = node[key];
    if (v && typeof v === 'object') walk(v, fn);
  }
}

/** check returns the offences of one effect callback. */
function check(hook, cb) {
  if (!isFunction(cb)) {
    return [[cb, `${hook}: pass an inline arrow function with a block body, not ${cb?.type ?? 'nothing'}`]];
  }
  if (cb.async) return [[cb, `${hook}: an async callback returns a Promise, which React would call as cleanup`]];
  if (cb.body?.type !== 'BlockStatement') {
    return [[cb, `${hook}: the arrow's expression body is returned as cleanup; write { … } around it`]];
  }
  const found = [];
  walk(cb.body, (n) => {
    if (isFunction(n) || n.type === 'FunctionDeclaration' || n.type === 'ClassBody') return false;
    if (n.type === 'ReturnStatement') {
      const arg = n.argument;
      if (arg && !isFunction(arg) && arg.type !== 'Identifier') {
        found.push([n, `${hook}: return only a cleanup function (or nothing), not ${arg.type}`]);
      }
    }
    return true;
  });
  return found;
}

function lineCol(source, offset) {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

let offences = 0;
for (const file of files(path.join(root, 'src'))) {
  const source = readFileSync(file, 'utf8');
  const ast = parseAst(source, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' }, file);
  walk(ast, (n) => {
    if (n.type !== 'CallExpression') return true;
    const hook = hookName(n.callee);
    if (!hook) return true;
    for (const [node, message] of check(hook, n.arguments[0])) {
      offences++;
      // rolldown's offsets count UTF-16 code units, as String.slice does.
      console.error(`${path.relative(root, file)}:${lineCol(source, node?.start ?? n.start)}: ${message}`);
    }
    return true;
  });
}
if (offences > 0) {
  console.error(`lint-effects: ${offences} effect(s) may return a value React would call`);
  process.exit(1);
}
console.log('lint-effects: every effect returns nothing or a cleanup function');
