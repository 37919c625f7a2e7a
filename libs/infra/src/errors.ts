/**
 * Thrown while a construct is being built when its configuration cannot work. The message names
 * the construct, the offending value and what to do, so the synth fails at the line that caused
 * it instead of at deploy time.
 */
export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
}
