/** CloudStack connection settings as read from the environment (any of them may be missing). */
export interface CloudStackEnv {
  url?: string;
  apiKey?: string;
  secretKey?: string;
}

/**
 * The one place the CLI reads CloudStack settings from the environment; to be swapped for
 * libs/config once it exists.
 */
export function readCloudStackEnv(env: NodeJS.ProcessEnv = process.env): CloudStackEnv {
  return {
    url: nonEmpty(env.CLOUDSTACK_URL),
    apiKey: nonEmpty(env.CLOUDSTACK_API_KEY),
    secretKey: nonEmpty(env.CLOUDSTACK_SECRET_KEY),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
