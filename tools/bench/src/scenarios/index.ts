import { authScenario } from './auth';
import { locationScenario } from './location';
import { profileScenario } from './profile';
import type { ServiceScenario } from './types';

/**
 * Warm-invocation scenarios by service. A function without one is still listed with its size and
 * import time; its warm figures read "no scenario" until one is added here.
 */
export const scenarios: Readonly<Record<string, ServiceScenario>> = {
  auth: authScenario,
  location: locationScenario,
  profile: profileScenario,
};

export type { FunctionScenario, ScenarioContext, ServiceScenario } from './types';
