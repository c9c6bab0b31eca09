export * from './host-spec.service';
export * from './zone-lint.gate';
export * from './topology-cache';
export * from './pending-host';
export * from './host-run-spec';
