/** One `AWS::SSM::Parameter` of the cloud assembly, its value resolved as a deployment would. */
export interface ParameterSpec {
  /** `/sm/prod/location/api-url`. */
  readonly name: string;
  readonly value: string;
  /** `String` or `StringList` (SecureString cannot be created by CloudFormation). */
  readonly type: 'String' | 'StringList';
  /** `<stack>/<logicalId>` of the resource that defines it. */
  readonly id: string;
}

export interface SsmStandIn {
  /** `http://127.0.0.1:<port>`: what functions get as `AWS_ENDPOINT_URL_SSM`. */
  readonly endpoint: string;
  /** Replaces every parameter (at start, once the assembly is read). */
  setParameters(parameters: readonly ParameterSpec[]): void;
  /** The parameters served now. */
  parameters(): readonly ParameterSpec[];
  close(): Promise<void>;
}
