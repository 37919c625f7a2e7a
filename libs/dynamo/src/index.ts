export { isConditionalCheckFailed } from './conditional-check';
export {
  createCursorCodec,
  type CursorCodec,
  type CursorCodecOptions,
  type CursorKey,
  type CursorShape,
} from './cursor-codec';
export {
  createDocumentClient,
  type AwsClientTracer,
  type DocumentClientOptions,
} from './create-document-client';
export type {
  GlobalSecondaryIndexDefinition,
  KeyAttribute,
  KeyAttributeType,
  TableDefinition,
} from './table-definition';
