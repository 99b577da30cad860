// Module customization hooks (node:module register): Node strips the types of .ts files itself, except
// under node_modules, where it refuses on purpose ("To discourage package authors from publishing
// packages written in TypeScript, Node.js refuses to handle TypeScript files inside folders under a
// node_modules path", doc/api/typescript.md, ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING). kubeproof ships
// its TypeScript as is (erasable syntax only, no build step), so when it is installed in another project
// these hooks do what Node does everywhere else: replace the types with blanks (line and column numbers
// unchanged), for kubeproof's own files only. Registered by bin/kubeproof.mjs, and by cucumber's
// `loader` option (cucumber.mjs) in every --parallel worker thread.
import { readFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The package root (this file is in bin/), as a URL prefix: only kubeproof's files are ours to strip.
const ROOT = pathToFileURL(dirname(dirname(fileURLToPath(import.meta.url)))).href + '/';

// stripTypeScriptTypes is the same transform Node applies to every other .ts file, yet (Node 24) still
// announces itself as experimental on first use; that notice would be noise on every run.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning?.message ?? warning).includes('stripTypeScriptTypes')) return;
  return emitWarning.call(process, warning, ...rest);
};

export async function load(url, context, nextLoad) {
  if (url.startsWith(ROOT) && url.endsWith('.ts') && !url.slice(ROOT.length).includes('node_modules/')) {
    const source = stripTypeScriptTypes(await readFile(fileURLToPath(url), 'utf8'), { mode: 'strip' });
    return { format: 'module', source, shortCircuit: true };
  }
  return nextLoad(url, context);
}
