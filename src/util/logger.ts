/** The only place outside cli/ that writes to the console: progress and warnings go to stderr. */

/** Minimal logger interface so modules can be given a silent one in tests. */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
}

/** Logger writing one line per call to stderr (stdout belongs to cucumber's formatter). */
export const stderrLogger: Logger = {
  info: (line) => process.stderr.write(`${line}\n`),
  warn: (line) => process.stderr.write(`warning: ${line}\n`),
};

/** Logger that drops everything (unit tests). */
export const silentLogger: Logger = { info: () => {}, warn: () => {} };
