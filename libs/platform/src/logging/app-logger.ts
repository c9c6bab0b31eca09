import type { LoggerService, LogLevel } from '@nestjs/common';
import { JsonLogger } from './json-logger';
import { MaskingLogger } from './masking-logger';
import { SecretMasker } from './secret-masker';

/** What picks an app's log format; LOG_FORMAT unset means json in production, pretty elsewhere. */
export interface LogSettings {
  LOG_LEVEL: LogLevel;
  LOG_FORMAT?: 'json' | 'pretty';
  NODE_ENV?: string;
}

export function logFormatOf(settings: Pick<LogSettings, 'LOG_FORMAT' | 'NODE_ENV'>): 'json' | 'pretty' {
  return settings.LOG_FORMAT ?? (settings.NODE_ENV === 'production' ? 'json' : 'pretty');
}

/** The app's logger: JSON lines for log collectors, or Nest's console lines for people; both masked. */
export function createAppLogger(app: 'api' | 'worker', secrets: (string | undefined)[], settings: LogSettings): LoggerService {
  const masker = new SecretMasker(secrets);
  return logFormatOf(settings) === 'json' ? new JsonLogger(masker, settings.LOG_LEVEL, app) : new MaskingLogger(masker, settings.LOG_LEVEL);
}
