#!/usr/bin/env node
// `npx kubeproof …` — the published CLI, the same as `npm run chaos -- …` in this repository, run in the
// user's project: its features/ and steps/ (added to kubeproof's), its manifests, its reports/.
//
// Plain JavaScript on purpose: it must start on whatever Node the shell finds. kubeproof needs Node ≥ 24
// (cucumber 13 and its type stripping); on an older Node this re-runs itself with the Node 24 that
// kubeproof's `node` dependency installs. Then, when kubeproof sits inside node_modules (an installed
// copy, where Node refuses to strip types), it registers bin/strip-types.mjs before loading the CLI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
// A namespace import: Node 20 has no enableCompileCache, and a named import of it would not even load here.
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REQUIRED_MAJOR = 24;
const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

/** The Node 24 binary that kubeproof's `node` dependency installed (hoisted or not), if any. */
function pinnedNode() {
  try {
    const pkg = nodeModule.createRequire(import.meta.url).resolve('node/package.json');
    const bin = join(dirname(pkg), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  const node = pinnedNode();
  if (!node) {
    process.stderr.write(`kubeproof: needs Node.js ${REQUIRED_MAJOR} or newer, this is ${process.version}; install kubeproof with its dependencies (npm install, which fetches Node ${REQUIRED_MAJOR} as the package "node") or put Node ${REQUIRED_MAJOR} first on PATH\n`);
    process.exit(2);
  }
  // The child gets the terminal's signals itself (same process group) and undoes its faults; wait for it.
  const child = spawn(node, ['--max-semi-space-size=4', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 2)));
} else {
  // Node caches the type-stripped and compiled form of every module it loads (keyed by the source's hash,
  // in the OS temp folder): from the second run on, starting costs ~0.2 s and ~25 MB less.
  nodeModule.enableCompileCache();
  if (root.split(/[\\/]/).includes('node_modules')) nodeModule.register(pathToFileURL(join(here, 'strip-types.mjs')).href);
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
