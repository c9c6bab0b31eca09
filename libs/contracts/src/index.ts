export * from './queue-names';
export * from './job-payloads';
export * from './apply-outcome-summary';
export * from './resolve-outcome-summary';
export * from './job-ids';
export * from './job-option-presets';
export * from './spec-hash';
export * from './errors/hostnet-error';
