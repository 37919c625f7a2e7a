/**
 * The contract classifier as a library (the review tool, tools/review, builds on it): oasdiff with
 * this repository's levels and conventions, per contract, against any two sources.
 */
export { compareSources, majorBumped } from './compare';
export { LEVEL_OVERRIDES, type LevelOverride } from './levels';
export { OASDIFF_BIN } from './oasdiff';
export { formatJson, formatText, summarize, type Summary } from './report';
export { loadContract, loadBundled, type LoadedContract } from './resolve';
export {
  CONTRACT_PATH,
  GitRefSource,
  WorkingTreeSource,
  repositoryRoot,
  type ContractSource,
} from './sources';
export type {
  Change,
  ChangeClass,
  ChangeLevel,
  ContractReport,
  ContractStatus,
  OperationRef,
  SourceLine,
} from './types';
