export * from './config/config.tokens';
export * from './platform.module';
export * from './host-spec/host-spec.service';
export * from './topology/topology-cache';
export * from './ssh-endpoints/ssh-endpoints';
export * from './logging/secret-masker';
export * from './logging/masking-logger';
export * from './redis/redis-options';
