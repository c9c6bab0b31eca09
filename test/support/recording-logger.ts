import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * A Nest console logger that keeps every line it would print (formatted exactly as printed, stack
 * traces included) instead of writing it, so a test can scan what an app logs.
 */
export class RecordingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  constructor(name: string, level: LogLevel = 'verbose') {
    const levels: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
    super(name, { logLevels: levels.slice(0, levels.indexOf(level) + 1), timestamp: true, colors: false });
  }

  protected override printMessages(messages: unknown[], context = '', logLevel: LogLevel = 'log'): void {
    for (const message of messages) {
      const text = this.formatMessage(logLevel, message, this.formatPid(process.pid), logLevel.toUpperCase(), this.formatContext(context), '');
      this.lines.push(text);
    }
  }

  protected override printStackTrace(stack: string): void {
    if (stack) this.lines.push(stack);
  }
}
