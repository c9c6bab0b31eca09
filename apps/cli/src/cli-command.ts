/** Where a command writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Set when stdout is a terminal: a command may draw (bars, redraws) within `columns`; unset means plain text for scripts. */
  readonly tty?: { columns: number };
}

/** A `hostnet <name>` command: receives the arguments after its name, returns the exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Bad usage, bad input or a failed operation, reported as one line on stderr. */
export const EXIT_FAILURE = 2;

/** A usage mistake (unknown flag, missing value); printed with the command's usage line. */
export class CliUsageError extends Error {}
