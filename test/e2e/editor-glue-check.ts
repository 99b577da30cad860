/**
 * What an editor's Cucumber language server sees with a project's settings: the glue files its
 * `cucumber.glue` globs find, the step definitions and parameter types it extracts from them, and the
 * steps of the `cucumber.features` files it reports as undefined. It uses @cucumber/language-server
 * 1.7.0 itself (the server behind VS Code's official Cucumber extension): its file search (NodeFiles,
 * fast-glob from the project folder), its glue loader (.ts files parsed with the tsx grammar) and the
 * language service's ExpressionBuilder and diagnostics — the server's own steps at start-up.
 *
 * Usage (from the project folder): node <this file> [settings.json] → one JSON line on stdout.
 * The server is installed on first use into kubeproof's node_modules/.cache (no native parsers:
 * --omit=optional; the WebAssembly ones it ships are what VS Code uses too).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from '../../src/util/exec.ts';

const SERVER = '@cucumber/language-server@1.7.0';
const TREE_SITTER = 'web-tree-sitter@0.24.6';
const cache = resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'kubeproof-editor-check');
const modules = join(cache, 'node_modules', '@cucumber');

if (!existsSync(join(modules, 'language-server', 'package.json'))) {
  await run('npm', ['install', '--no-save', '--no-package-lock', '--omit=optional', '--no-audit', '--no-fund', '--prefix', cache, SERVER, TREE_SITTER], { timeoutMs: 180_000 });
}
const dist = (pkg: string, file: string): string => pathToFileURL(join(modules, pkg, 'dist', 'esm', 'src', file)).href;
// The server's own modules (its package exports only the server class and NodeFiles).
const { NodeFiles } = await import(dist('language-server', 'node/NodeFiles.js'));
const { loadGherkinSources, loadGlueSources } = await import(dist('language-server', 'fs.js'));
const { ExpressionBuilder, getGherkinDiagnostics } = await import(dist('language-service', 'index.js'));
const { WasmParserAdapter } = await import(dist('language-service', 'tree-sitter-wasm/WasmParserAdapter.js'));

const settingsFile = resolve(process.argv[2] ?? '.vscode/settings.json');
const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, string[] | undefined>;
const features = settings['cucumber.features'] ?? [];
const glue = settings['cucumber.glue'] ?? [];

const files = new NodeFiles(pathToFileURL(process.cwd()).href);
const adapter = new WasmParserAdapter(join(modules, 'language-service', 'dist'));
await adapter.init();
const glueSources: Array<{ uri: string }> = await loadGlueSources(files, glue);
const built = new ExpressionBuilder(adapter).build(glueSources, settings['cucumber.parameterTypes'] ?? []);
const expressions = built.expressionLinks.map((l: { expression: unknown }) => l.expression);
const undefinedSteps: string[] = [];
for (const source of await loadGherkinSources(files, features) as Array<{ uri: string; content: string }>) {
  for (const d of getGherkinDiagnostics(source.content, expressions) as Array<{ message: string; range: { start: { line: number } } }>) {
    if (d.message.startsWith('Undefined step: ')) undefinedSteps.push(`${files.relativePath(source.uri)}:${d.range.start.line + 1}: ${d.message.slice('Undefined step: '.length)}`);
  }
}
process.stdout.write(`${JSON.stringify({
  glueFiles: glueSources.map((s) => files.relativePath(s.uri)),
  stepDefinitions: built.expressionLinks.map((l: { expression: { source: string } }) => l.expression.source),
  parameterTypes: built.parameterTypeLinks.map((l: { parameterType: { name: string } }) => l.parameterType.name),
  errors: built.errors.map((e: Error) => e.message),
  undefinedSteps,
})}\n`);
