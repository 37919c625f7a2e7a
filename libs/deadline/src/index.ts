export {
  currentBudget,
  currentDeadline,
  DeadlineExceededError,
  deadlineSignal,
  newBudget,
  runWithBudget,
  timeLeftMs,
  waitFor,
  type Deadline,
  type InvocationBudget,
} from './deadline';
export {
  DEADLINE_ENVIRONMENT_VARIABLE,
  invocationBudget,
  parseDeadlineBudget,
  RESPONSE_RESERVE_MS,
  withInvocationDeadline,
  type RemainingTime,
} from './invocation-deadline';
