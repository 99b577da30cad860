/**
 * RBAC checks for "service account X can/cannot VERB RESOURCE": the API server's own answer through a
 * SubjectAccessReview (authorization.k8s.io/v1), and — for one request — the real thing: a short-lived
 * token from the TokenRequest API, then a GET with that bearer token. The review says what RBAC would
 * decide; the real request proves the token path works too (an allowed verb answers 200, a denied one 403).
 */
import type { ClusterClient } from '../cluster/types.ts';
import { ConditionError, FaultError, InputError } from '../failure/failure.ts';

/** A verb on a resource ("list pods", "get configmaps/demo-shop-config", "create deployments.apps"). */
export interface ResourceAction {
  verb: string;
  resource: string;
  group: string;
  name: string | undefined;
  text: string;
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** Parses "list" + "pods", "get" + "configmaps/demo-shop-config", "create" + "deployments.apps". */
export function parseAction(verb: string, resource: string): ResourceAction {
  if (!VERBS.includes(verb)) throw new InputError(`"${verb}" is not a Kubernetes verb (use one of ${VERBS.join(', ')})`);
  const [kindPart, name] = resource.split('/');
  const dot = (kindPart ?? '').indexOf('.');
  const plural = dot < 0 ? kindPart ?? '' : (kindPart ?? '').slice(0, dot);
  const group = dot < 0 ? '' : (kindPart ?? '').slice(dot + 1);
  if (!/^[a-z][a-z0-9]*$/.test(plural)) throw new InputError(`"${resource}" is not a resource: write the plural, lowercase (pods, secrets, deployments.apps, configmaps/NAME)`);
  return { verb, resource: plural, group, name: name || undefined, text: `${verb} ${resource}` };
}

/** The API server's RBAC decision for `system:serviceaccount:<namespace>:<sa>`. */
export async function reviewAccess(client: ClusterClient, namespace: string, serviceAccount: string, action: ResourceAction): Promise<{ allowed: boolean; reason: string }> {
  const review = await client.postRaw('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: `system:serviceaccount:${namespace}:${serviceAccount}`,
      // The groups a ServiceAccount token carries; bindings to them count too.
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      resourceAttributes: { namespace, verb: action.verb, resource: action.resource, group: action.group, ...(action.name ? { name: action.name } : {}) },
    },
  });
  const status = (review.status ?? {}) as { allowed?: boolean; reason?: string; evaluationError?: string };
  return { allowed: status.allowed === true, reason: status.reason || status.evaluationError || 'no RBAC rule grants it' };
}

/** Checks the review's answer against the expectation; the message names subject, action and RBAC's reason. */
export async function expectAccessReview(client: ClusterClient, namespace: string, serviceAccount: string, action: ResourceAction, expectAllowed: boolean): Promise<string> {
  if ((await client.getRaw(`/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}`)).status === 404) {
    throw new InputError(`service account "${serviceAccount}" does not exist in namespace ${namespace}`);
  }
  const { allowed, reason } = await reviewAccess(client, namespace, serviceAccount, action);
  const who = `service account ${namespace}/${serviceAccount}`;
  if (allowed !== expectAllowed) {
    throw new ConditionError({
      subject: who, matcher: `${expectAllowed ? 'toBeAllowed' : 'toBeForbidden'}("${action.text}")`,
      expected: expectAllowed ? 'allowed' : 'forbidden',
      received: `${allowed ? 'ALLOWED' : 'FORBIDDEN'} by the API server's SubjectAccessReview`,
      cause: `${reason} (the API server's SubjectAccessReview)`,
      hint: `check the Roles/ClusterRoles bound to ${serviceAccount} (kubectl get rolebindings,clusterrolebindings -A -o wide)`,
    });
  }
  return `${who} ${allowed ? 'may' : 'may not'} ${action.text} (${reason})`;
}

/** Path of a namespaced collection or object for a real request (core group or named group, v1 only). */
function apiPath(namespace: string, action: ResourceAction): string {
  const base = action.group ? `/apis/${action.group}/v1` : '/api/v1';
  return `${base}/namespaces/${namespace}/${action.resource}${action.name ? `/${action.name}` : ''}`;
}

/** Gets a 10-minute token for the service account and performs a GET (list or get) with it; checks 2xx vs 403. */
export async function expectRealRequest(client: ClusterClient, namespace: string, serviceAccount: string, action: ResourceAction, expectAllowed: boolean, learnSecret: (value: string) => void): Promise<string> {
  if (action.verb !== 'get' && action.verb !== 'list') throw new InputError(`a real request is only made for get and list (read-only), not "${action.verb}"`);
  const tokenRequest = await client.postRaw(`/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 },
  });
  const token = (tokenRequest.status as { token?: string } | undefined)?.token;
  if (!token) throw new FaultError(`the TokenRequest for ${namespace}/${serviceAccount} returned no token`);
  // A bearer token is a secret like any other: no message may show it.
  learnSecret(token);
  const path = apiPath(namespace, action);
  const res = await client.getAsToken(path, token);
  const allowed = res.status >= 200 && res.status < 300;
  const who = `service account ${namespace}/${serviceAccount}`;
  if (!allowed && res.status !== 403) throw new FaultError(`GET ${path} with the token of ${who} answered HTTP ${res.status}, neither allowed nor forbidden: ${res.body.slice(0, 200)}`);
  if (allowed !== expectAllowed) {
    throw new ConditionError({
      subject: who, matcher: `${expectAllowed ? 'toBeAllowed' : 'toBeForbidden'}("${action.text}" with its own token)`,
      expected: expectAllowed ? 'HTTP 200' : 'HTTP 403 Forbidden',
      received: `HTTP ${res.status} for GET ${path}\n${res.body.slice(0, 300).replace(/\s+/g, ' ')}`,
      hint: `check the Roles/ClusterRoles bound to ${serviceAccount} (kubectl get rolebindings,clusterrolebindings -A -o wide)`,
    });
  }
  return `GET ${path} with the token of ${who}: HTTP ${res.status}`;
}
