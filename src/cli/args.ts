/**
 * Command line: our options are taken out, cucumber's are validated against cucumber 13.3's option
 * list (cucumber itself would print "unknown option" and exit 1, and we promise 2), positional
 * arguments are feature paths.
 */
import { parseDuration } from '../util/duration.ts';
import { UsageError } from './exit-codes.ts';

/** kubeproof's own options. */
export interface OwnOptions {
  context: string | undefined;
  seed: number | undefined;
  keep: boolean;
  dryRun: boolean;
  janitor: boolean;
  allowContext: boolean;
  /** --load-from: where loads come from (default: this machine; the cluster with --allow-context). */
  loadFrom: 'host' | 'cluster' | undefined;
  help: boolean;
  /** How long to wait for the cluster's run lock when another run holds it (ms). */
  lockWaitMs: number | undefined;
}

/** Parsed command line. */
export interface ParsedArgs {
  own: OwnOptions;
  /** Arguments handed to cucumber's loadConfiguration({ provided }). */
  cucumber: string[];
  profiles: string[];
  configFile: string | undefined;
  /** Feature paths given on the command line (they replace the profile's paths). */
  paths: string[];
}

/** cucumber 13.3 options (argv_parser.js) that take a value, and those that do not. */
const CUCUMBER_WITH_VALUE = new Set([
  '--format', '-f', '--format-options', '--i18n-keywords', '--import', '-i', '--loader', '-l', '--language', '--name',
  '--order', '--parallel', '--plugin', '--plugin-options', '--require', '-r', '--require-module', '--retry',
  '--retry-tag-filter', '--shard', '--tags', '-t', '--world-parameters',
]);
const CUCUMBER_FLAGS = new Set(['--backtrace', '-b', '--exit', '--force-exit', '--fail-fast', '--strict', '--no-strict', '--publish']);
const INTEGER_OPTIONS = new Set(['--parallel', '--retry']);

/** Usage text for --help. */
export const USAGE = `usage: npm run chaos -- [options] [feature paths]

kubeproof options:
  --context <name>     kube context to use (default: the kubeconfig's current context)
  --allow-context      allow a context that is not a local kind cluster (careful: faults are real)
  --load-from <where>  host: load is sent from this machine (default on kind); cluster: from a Job of vegeta
                       pods in the scenario's namespace (default with --allow-context)
  --seed <n>           replay the victim choices of an earlier run (the seed is printed in every report)
  --keep               keep the namespace of a failed scenario for inspection
  --dry-run            list the scenarios and the faults/targets they would hit, without touching the cluster
  --janitor            undo what killed runs left behind (journalled faults, owned namespaces), then exit
  --lock-wait <time>   wait this long for another run holding the cluster's run lock (default 30 minutes)
  --help               this text

cucumber options (passed through): --tags <expr>, --name <regexp>, --parallel <n>, --retry <n>,
  --retry-tag-filter <expr>, --fail-fast, --order <type[:seed]>, --profile <name>, --format <type[:path]>, ...

exit codes: 0 all passed, 1 scenario failures, 2 tooling error or no scenario matched`;

/**
 * Parses argv (without "node script").
 * @throws UsageError for an unknown option or a bad value, naming it
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const own: OwnOptions = { context: undefined, seed: undefined, keep: false, dryRun: false, janitor: false, allowContext: false, loadFrom: undefined, help: false, lockWaitMs: undefined };
  const parsed: ParsedArgs = { own, cucumber: [], profiles: [], configFile: undefined, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('-') && v !== '-')) throw new UsageError(`option ${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--context': own.context = value(); break;
      case '--seed': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--seed expects a whole number, got "${v}"`);
        own.seed = Number(v);
        break;
      }
      case '--keep': own.keep = true; break;
      case '--lock-wait': {
        const v = value();
        try { own.lockWaitMs = parseDuration(v); } catch { throw new UsageError(`--lock-wait expects a duration such as "10 minutes" or "90s", got "${v}"`); }
        break;
      }
      case '--dry-run': case '-d': own.dryRun = true; break;
      case '--janitor': own.janitor = true; break;
      case '--allow-context': own.allowContext = true; break;
      case '--load-from': {
        const v = value();
        if (v !== 'host' && v !== 'cluster') throw new UsageError(`--load-from expects "host" or "cluster", got "${v}"`);
        own.loadFrom = v;
        break;
      }
      case '--help': case '-h': own.help = true; break;
      case '--profile': case '-p': parsed.profiles.push(value()); break;
      case '--config': case '-c': parsed.configFile = value(); break;
      default:
        if (CUCUMBER_WITH_VALUE.has(name)) {
          const v = value();
          if (INTEGER_OPTIONS.has(name) && !/^\d+$/.test(v)) throw new UsageError(`${name} expects a whole number, got "${v}"`);
          parsed.cucumber.push(name, v);
        } else if (CUCUMBER_FLAGS.has(name)) {
          if (inline !== undefined) throw new UsageError(`option ${name} takes no value`);
          parsed.cucumber.push(name);
        } else if (name.startsWith('-')) {
          throw new UsageError(`unknown option "${name}" (see npm run chaos -- --help)`);
        } else {
          parsed.paths.push(raw);
        }
    }
  }
  return parsed;
}
