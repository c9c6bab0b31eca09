/**
 * The signals that stop api and worker gracefully (pass to `app.enableShutdownHooks`). Nest's default
 * list includes SIGHUP, whose handler closes the app and re-kills the process: SIGHUP reloads the
 * profiles instead (SighupProfileReload), so it must not be here.
 */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
