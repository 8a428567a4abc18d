import { CONFIG_DEFAULTS } from './defaults.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The region the SDK's own variables name, `AWS_REGION` then `AWS_DEFAULT_REGION`; `undefined` without either. */
export function regionFromEnv(env: Env): string | undefined {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}

/**
 * The region to open a bucket in when no setting names one: the SDK's own
 * variables, then `CONFIG_DEFAULTS.homeRegion`.
 * @example homeRegion({ AWS_DEFAULT_REGION: 'eu-west-1' }) // 'eu-west-1'
 */
export function homeRegion(env: Env): string {
  return regionFromEnv(env) ?? CONFIG_DEFAULTS.homeRegion;
}
