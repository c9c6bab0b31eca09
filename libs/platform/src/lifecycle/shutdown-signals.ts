/**
 * The signals that stop api and worker gracefully (pass to `app.enableShutdownHooks`). Nest's default
 * list includes SIGHUP, whose handler closes the app and re-kills the process: SIGHUP reloads api's
 * profiles instead (SighupProfileReload; the worker only logs it), so it must not be here.
 */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
