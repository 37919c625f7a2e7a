export {
  publishedValueReplacements,
  type PublishedValueReplacement,
} from './published-value-replacements';
export { readAssemblyStage } from './read-assembly-stage';
