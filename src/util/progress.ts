/** Progress of long work (a load, a build) for the person watching: one line on stderr (stdout belongs to cucumber's formatter). */

/** Writes one progress line. */
export function progressLine(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}
