export * from './host-session';
export * from './shell-quote';
export * from './ssh-errors';
export * from './known-hosts';
export * from './known-hosts.store';
export * from './ssh-host-session';
export * from './ssh-connector';
export * from './ssh-key-pair';
