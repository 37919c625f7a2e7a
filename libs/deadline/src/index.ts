export {
  currentDeadline,
  DeadlineExceededError,
  deadlineSignal,
  runWithDeadline,
  timeLeftMs,
  type Deadline,
} from './deadline';
export {
  DEADLINE_ENVIRONMENT_VARIABLE,
  invocationDeadline,
  parseDeadlineBudget,
  RESPONSE_RESERVE_MS,
  withInvocationDeadline,
  type RemainingTime,
} from './invocation-deadline';
