export * from './capacity-check';
export * from './template-model';
