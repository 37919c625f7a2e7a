export {
  AlarmService,
  type AlarmServiceOptions,
  type AlarmStatus,
  type AlarmTransition,
} from './alarm-service';
export {
  evaluateAlarm,
  breaches,
  type AlarmState,
  type Evaluation,
  type EvaluationRule,
  type PeriodValue,
  type TreatMissingData,
} from './evaluate';
export { compileExpression, MetricMathError, type TimeSeries } from './metric-math';
export { alarmNotification, type SnsNotification } from './sns-message';
