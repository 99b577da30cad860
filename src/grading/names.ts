/**
 * One suite, many students' names: when a submission's mapping file says `names: { api: orders }`, every
 * step of that student's scenarios that names "api" means "orders". The translation happens once, at the
 * Gherkin boundary (steps/boundary.ts wraps every step with it), so no step or capability knows about it:
 * a string argument equal to a mapped name is replaced, and so is a data-table cell that is the name or
 * ends in "/name" ("service/postgres", "deployment/api"). Label selectors ("app=api") are labels, not
 * names, and are left alone.
 */

/** What the wrapper needs from the World. */
export interface NamedWorld {
  /** Suite name → submission name ({} outside grading, or before the scenario exists). */
  submissionNames(): Record<string, string>;
}

function mapCell(cell: string, names: Record<string, string>): string {
  if (Object.hasOwn(names, cell)) return names[cell] as string;
  const slash = cell.lastIndexOf('/');
  if (slash > 0) {
    const tail = cell.slice(slash + 1);
    if (Object.hasOwn(names, tail)) return `${cell.slice(0, slash + 1)}${names[tail]}`;
  }
  return cell;
}

/** The step arguments with mapped names replaced (data tables are rewritten in place: cucumber's DataTable). */
export function mapStepArguments(args: readonly unknown[], names: Record<string, string>): unknown[] {
  if (!Object.keys(names).length) return [...args];
  return args.map((a) => {
    if (typeof a === 'string') return Object.hasOwn(names, a) ? names[a] : a;
    const table = a as { rawTable?: unknown };
    if (a && typeof a === 'object' && Array.isArray(table.rawTable)) {
      table.rawTable = (table.rawTable as unknown[][]).map((row) => row.map((c) => (typeof c === 'string' ? mapCell(c, names) : c)));
    }
    return a;
  });
}

/** Wraps a step or hook function so its arguments use the graded submission's names. */
export function withSubmissionNames<F extends (...args: never[]) => unknown>(fn: F): F {
  const wrapped = function (this: Partial<NamedWorld>, ...args: never[]): unknown {
    const names = typeof this?.submissionNames === 'function' ? this.submissionNames() : {};
    return fn.apply(this, mapStepArguments(args, names) as never[]);
  };
  return wrapped as unknown as F;
}
