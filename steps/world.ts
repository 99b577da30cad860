/** ChaosWorld: one ScenarioContext per scenario (created in the Before hook, since constructors are sync). */
import { setWorldConstructor, World } from '@cucumber/cucumber';
import type { IWorldOptions } from '@cucumber/cucumber';
import type { Capabilities, RunParameters, ScenarioContext } from '../src/index.ts';

/** World parameters the CLI passes (see src/cli/main.ts). */
export interface ChaosParameters extends RunParameters {
  capabilities: Capabilities;
}

/** The World every step runs in. */
export class ChaosWorld extends World<ChaosParameters> {
  scenarioContext: ScenarioContext | undefined;

  constructor(options: IWorldOptions<ChaosParameters>) {
    super(options);
  }

  /** The scenario; throws a clear error if a step runs before the Before hook created it. */
  get scenario(): ScenarioContext {
    if (!this.scenarioContext) throw new Error('the scenario was not set up (its Before hook failed; see the hook error above)');
    return this.scenarioContext;
  }
}

setWorldConstructor(ChaosWorld);
