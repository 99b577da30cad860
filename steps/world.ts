/** ChaosWorld: one ScenarioContext per scenario (created in the Before hook, since constructors are sync). */
import { setWorldConstructor, World } from '@cucumber/cucumber';
import type { IWorldOptions } from '@cucumber/cucumber';
import type { BoundaryWorld, Capabilities, RunParameters, ScenarioContext } from '../src/index.ts';

/** World parameters of a run: passed by our CLI (src/cli/main.ts), or filled by the BeforeAll hook under plain cucumber-js (src/run/cucumber-js.ts). */
export interface ChaosParameters extends RunParameters {
  capabilities: Capabilities;
  /** How to replay the run's seed with the entry point that started it ("--seed 42", or cucumber-js's --world-parameters). */
  replay?: string;
}

/** The World every step runs in. Its attach and log are the redaction boundary for everything steps send. */
export class ChaosWorld extends World<ChaosParameters> implements BoundaryWorld {
  scenarioContext: ScenarioContext | undefined;

  constructor(options: IWorldOptions<ChaosParameters>) {
    super(options);
    const attach = this.attach as (data: unknown, mediaTypeOrOptions?: unknown) => void;
    const log = this.log;
    // Everything a step or hook sends to the report goes through these two (World's own are read-only fields).
    Object.assign(this, {
      attach: (data: unknown, mediaTypeOrOptions?: unknown) => attach(typeof data === 'string' ? this.redact(data) : data, mediaTypeOrOptions),
      log: (text: string) => log(this.redact(text)),
    });
  }

  /** Masks every Secret value the scenario has met (nothing before the scenario exists). */
  redact(text: string): string {
    return this.scenarioContext ? this.scenarioContext.redact(text) : text;
  }

  /** The graded submission's names for the suite's ({} outside npm run grade): src/grading/names.ts. */
  submissionNames(): Record<string, string> {
    return this.scenarioContext?.submission.names() ?? {};
  }

  /** The scenario; throws a clear error if a step runs before the Before hook created it. */
  get scenario(): ScenarioContext {
    if (!this.scenarioContext) throw new Error('the scenario was not set up (its Before hook failed; see the hook error above)');
    return this.scenarioContext;
  }
}

setWorldConstructor(ChaosWorld);
