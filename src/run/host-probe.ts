/**
 * The host facts preflight needs whatever the scenarios are: can docker be started, which node
 * containers of our kind cluster exist. One `docker ps` answers both (it cannot start → docker is
 * missing). `npm run chaos` starts it as soon as its command line is parsed, so it runs while cucumber
 * loads the features, not once the run starts. Read-only: nothing is decided or changed before the
 * input is checked.
 */
import { runningNodes } from '../testbed/own-cluster.ts';

/** The answers, as they come; neither promise rejects. */
export interface HostProbe {
  docker: Promise<boolean>;
  ownNodes: Promise<string[]>;
}

/** Starts the probe now. */
export function probeHost(): HostProbe {
  const listed = runningNodes().then((names) => ({ docker: true, names }), () => ({ docker: false, names: [] as string[] }));
  return { docker: listed.then((l) => l.docker), ownNodes: listed.then((l) => l.names) };
}
