export { methodLimits, type MethodLimits } from './limits';
export { runOpenModel, type OpenModelRun, type RunOutcome } from './open-model';
export { judge, type Expectation, type Verdict } from './verdict';
export { scenarios, seed, type Scenario, type ScenarioResult } from './scenarios';
