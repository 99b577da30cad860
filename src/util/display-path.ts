/** Feature paths as the user gave them: cucumber names features relative to the checkout ("../../tmp/x.feature"). */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * How to print a feature's `uri` (cucumber's, relative to `cwd`): unchanged inside the checkout; outside
 * it, under the path the user gave (`given`, as typed) that contains it — "/tmp/x/a.feature" for an
 * absolute one, "../other/a.feature" for a relative one — else as an absolute path, never "../../…".
 */
export function displayUri(uri: string, cwd: string, given: readonly string[] = []): string {
  if (uri !== '..' && !uri.startsWith(`..${sep}`) && !uri.startsWith('../')) return uri;
  const file = resolve(cwd, uri);
  for (const path of given) {
    const root = resolve(cwd, path);
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) continue;
    if (!isAbsolute(path)) return uri;
    return file === root ? path : join(path, relative(root, file));
  }
  return file;
}
