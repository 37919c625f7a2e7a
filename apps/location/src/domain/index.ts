export * from './errors';
export * from './history-id';
export * from './location-repository';
export * from './location-service';
export * from './model';
export * from './ownership';
export * from './resolution';
export * from './retention';
