/**
 * The namespaces one scenario owns: its own, and extra ones created under an alias ("partner"). Each is
 * journalled for deletion before it is created, and each gets a Secret watch feeding the redactor, so
 * every Secret value that can appear in any namespace the scenario owns is known before it can leak.
 */
import { namespaceObject } from '../cluster/namespaces.ts';
import type { ClusterClient, ObjectStore } from '../cluster/types.ts';
import { InputError } from '../failure/failure.ts';
import type { OwnedNamespaces } from '../faults/fault.ts';
import type { ScopeJournal } from '../journal/journal.ts';
import { deleteNamespace } from '../journal/undo.ts';
import type { Redactor } from '../report/redact.ts';
import type { Timeline } from '../timeline/timeline.ts';

/** What owning namespaces needs. */
export interface OwnedNamespacesDeps {
  client: ClusterClient;
  journal: ScopeJournal;
  timeline: Timeline;
  redactor: Redactor;
  runId: string;
  scenarioName: string;
}

/** The scenario's namespaces, with creation of aliases and the Secret watches. */
export interface NamespaceRegistry extends OwnedNamespaces {
  /** Creates the scenario's own namespace (journalled first) and starts its Secret watch. */
  createMain(): Promise<void>;
  /** Creates a namespace under `alias`, optionally labelled "k=v,k2=v2"; returns its real name. */
  createAlias(alias: string, labels?: string): Promise<string>;
  /** The alias of a real namespace name ("partner"), or the name itself. */
  aliasOf(name: string): string;
  /** Every owned namespace's real name. */
  all(): string[];
  /** Resolves once every Secret watch has listed (all values are learnt). */
  secretsLearnt(): Promise<void>;
  stop(): Promise<void>;
}

/** "kp-abc123-scenario-42" + "partner" → "kp-abc123-scenario-42-partner" (≤ 63 characters). */
export function aliasNamespaceName(scenarioNamespace: string, alias: string): string {
  return `${scenarioNamespace.slice(0, 62 - alias.length).replace(/-+$/, '')}-${alias}`;
}

/** "team=trusted,tier=a" → labels; an InputError names a malformed term. */
export function parseNamespaceLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const term of (text ?? '').split(',').map((t) => t.trim()).filter(Boolean)) {
    const [k, v, extra] = term.split('=');
    if (!k || v === undefined || extra !== undefined) throw new InputError(`namespace label "${term}" is not key=value (example: team=trusted)`);
    labels[k.trim()] = v.trim();
  }
  return labels;
}

/** Creates the registry for a scenario whose own namespace is `main`. */
export function createNamespaceRegistry(main: string, deps: OwnedNamespacesDeps): NamespaceRegistry {
  const aliases = new Map<string, string>();
  const secretStores: ObjectStore[] = [];
  const learnSecretsOf = (namespace: string): void => {
    const store = deps.client.watch('Secret', namespace);
    store.onChange((type, secret) => { if (type !== 'delete') deps.redactor.learnSecret(secret); });
    void store.ready.then(() => { for (const s of store.list()) deps.redactor.learnSecret(s); });
    secretStores.push(store);
  };
  const create = async (name: string, labels: Record<string, string>, description: string): Promise<void> => {
    const object = namespaceObject(name, deps.runId, description);
    object.metadata = { ...object.metadata, labels: { ...labels, ...object.metadata?.labels } };
    // Journalled first: After, SIGINT and --janitor delete it even if this process dies right after.
    deleteNamespace.record(deps.journal, { name }, `delete namespace ${name}`);
    await deps.client.create(object);
    learnSecretsOf(name);
  };
  return {
    main,
    async createMain() {
      await create(main, {}, deps.scenarioName);
    },
    async createAlias(alias, labels) {
      if (!/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/.test(alias)) throw new InputError(`namespace alias "${alias}" must be a short lowercase name (up to 20 of a-z, 0-9, -)`);
      if (aliases.has(alias)) throw new InputError(`namespace "${alias}" was already created in this scenario`);
      const name = aliasNamespaceName(main, alias);
      await create(name, parseNamespaceLabels(labels), `${deps.scenarioName} (namespace "${alias}")`);
      aliases.set(alias, name);
      deps.timeline.record({ kind: 'marker', label: `namespace "${alias}" created as ${name}` });
      return name;
    },
    resolve(alias) {
      if (alias === undefined) return main;
      const real = aliases.get(alias);
      if (!real) throw new InputError(`namespace "${alias}" is unknown here: create it first with 'Given another namespace "${alias}"' (known: ${[...aliases.keys()].join(', ') || 'none'})`);
      return real;
    },
    aliasOf: (name) => [...aliases].find(([, n]) => n === name)?.[0] ?? name,
    all: () => [main, ...aliases.values()],
    secretsLearnt: async () => { await Promise.all(secretStores.map((s) => s.ready)); },
    stop: async () => { await Promise.all(secretStores.map((s) => s.stop())); },
  };
}
