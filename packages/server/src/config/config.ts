/**
 * Configuration comes from the environment (names are a public contract: PORT, APP_ID, MASTER_KEY,
 * JAVASCRIPT_KEY, REST_API_KEY, DATA_DIR, DATABASE_URL, REDIS_URL, SERVER_URL, …), optionally extended by a JSON
 * config file named by CRM_CONFIG. Explicit overrides (tests, CLI) win over both.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_STALE_AFTER_DAYS, resolveStages, type PipelineStage } from './stages.js';

export interface ServerConfig {
  port: number;
  host: string;
  appId: string;
  /** Empty until resolved by ensureMasterKey() (generated once and kept in the data dir when unset). */
  masterKey: string;
  javascriptKey?: string;
  restApiKey?: string;
  /** Master key is honoured only from these addresses (CIDR or exact); loopback by default, as Parse does. */
  masterKeyIps: string[];
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema holding the tables (DATABASE_SCHEMA, default public): several installs can share a database. */
  databaseSchema?: string;
  redisUrl?: string;
  /** Public URL of the API root, used in Location headers; derived from host/port when unset. */
  serverUrl?: string;
  mountPath: string;
  bodyLimitBytes: number;
  defaultLimit: number;
  maxLimit: number;
  /** Let non-master clients create classes by saving to them (Parse's allowClientClassCreation). */
  allowClientClassCreation: boolean;
  /** The CRM security policy (docs/SECURITY.md); off = plain Parse Server semantics. */
  crmPolicy: boolean;
  /** How long a session token stays valid (Parse: one year). */
  sessionLengthMs: number;
  /** Login and sign-up attempts allowed per client address per minute (0 = unlimited). */
  authRateLimitPerMinute: number;
  /** Failed logins before an account is locked (0 = never), and for how long. */
  accountLockoutThreshold: number;
  accountLockoutMinutes: number;
  /** Password policy: minimum length and an optional regular expression every new password must match. */
  passwordMinLength: number;
  passwordPattern?: string;
  /** Send a verification email at sign-up and when the email changes. */
  verifyUserEmails: boolean;
  /** smtp://user:pass@host:port — mail goes to DATA_DIR/mail.log and the console when unset. */
  smtpUrl?: string;
  mailFrom: string;
  /**
   * Behind a reverse proxy: trust X-Forwarded-For from these addresses (TRUST_PROXY: `true`, a hop count, or
   * comma-separated addresses/CIDRs), so rate limits and master-key IP checks see the real client.
   */
  trustProxy?: boolean | number | string[];
  /** Built web app served at `/` (STATIC_DIR; default: the app workspace's build output when present). */
  staticDir?: string;
  /** Classes LiveQuery serves (the seed: Deal and Activity). */
  liveQueryClasses: string[];
  logLevel: string;
  /** Cloud code: a hooks file (.js/.mjs/.cjs/.ts/.mts/.cts) loaded at start (CLOUD_CODE; docs/CLOUD-CODE.md). */
  cloudCode?: string;
  /** Outbound webhooks on object changes (WEBHOOKS=off disables delivery). */
  webhooks: boolean;
  /** Delivery attempts per event before giving up (first attempt included). */
  webhookMaxAttempts: number;
  /** Delay before the first retry; each further retry doubles it. */
  webhookRetryBaseMs: number;
  /** Per-attempt timeout (connect + response). */
  webhookTimeoutMs: number;
  /** When set, webhook URLs may only name these hosts (exact host names or IP literals). */
  webhookAllowedHosts?: string[];
  /**
   * The sales pipeline (config/stages.ts). A CRM_CONFIG file may give its own `stages` array and a global
   * `staleAfterDays`; they are checked and completed at start.
   */
  stages: PipelineStage[];
  staleAfterDays: number | null;
}

const DEFAULTS: ServerConfig = {
  port: 1337,
  host: '0.0.0.0',
  appId: 'crm',
  masterKey: '',
  masterKeyIps: ['127.0.0.1/8', '::1/128'],
  dataDir: './data',
  mountPath: '/parse',
  bodyLimitBytes: 20 * 1024 * 1024,
  defaultLimit: 100,
  maxLimit: 10_000,
  allowClientClassCreation: false,
  crmPolicy: true,
  sessionLengthMs: 365 * 24 * 3600 * 1000,
  authRateLimitPerMinute: 60,
  accountLockoutThreshold: 10,
  accountLockoutMinutes: 15,
  passwordMinLength: 0,
  verifyUserEmails: false,
  mailFrom: 'CRM <no-reply@localhost>',
  liveQueryClasses: ['Deal', 'Activity'],
  logLevel: 'warn',
  webhooks: true,
  webhookMaxAttempts: 6,
  webhookRetryBaseMs: 2_000,
  webhookTimeoutMs: 10_000,
  stages: [],
  staleAfterDays: DEFAULT_STALE_AFTER_DAYS,
};

export class ConfigError extends Error {}

function intFrom(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function secondsFrom(name: string, raw: string | undefined): number | undefined {
  const seconds = intFrom(name, raw);
  return seconds === undefined ? undefined : seconds * 1000;
}

function trustProxyFrom(raw: string | undefined): ServerConfig['trustProxy'] {
  if (raw === undefined || raw === '') return undefined;
  if (/^(true|false)$/i.test(raw)) return /^true$/i.test(raw);
  if (/^\d+$/.test(raw)) return Number(raw);
  return listFrom(raw);
}

function boolFrom(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

const listFrom = (raw: string | undefined): string[] | undefined =>
  raw === undefined || raw === ''
    ? undefined
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function fromEnv(env: NodeJS.ProcessEnv): Partial<ServerConfig> {
  const picked: Partial<ServerConfig> = {
    port: intFrom('PORT', env.PORT),
    host: env.HOST || undefined,
    appId: env.APP_ID || undefined,
    masterKey: env.MASTER_KEY || undefined,
    javascriptKey: env.JAVASCRIPT_KEY || undefined,
    restApiKey: env.REST_API_KEY || undefined,
    masterKeyIps: listFrom(env.MASTER_KEY_IPS),
    dataDir: env.DATA_DIR || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    redisUrl: env.REDIS_URL || undefined,
    serverUrl: env.SERVER_URL || undefined,
    bodyLimitBytes: intFrom('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES),
    maxLimit: intFrom('MAX_LIMIT', env.MAX_LIMIT),
    allowClientClassCreation: boolFrom('ALLOW_CLIENT_CLASS_CREATION', env.ALLOW_CLIENT_CLASS_CREATION),
    crmPolicy: env.CRM_POLICY ? !/^(off|0|false|no)$/i.test(env.CRM_POLICY) : undefined,
    sessionLengthMs: secondsFrom('SESSION_LENGTH', env.SESSION_LENGTH),
    authRateLimitPerMinute: intFrom('AUTH_RATE_LIMIT', env.AUTH_RATE_LIMIT),
    accountLockoutThreshold: intFrom('ACCOUNT_LOCKOUT_THRESHOLD', env.ACCOUNT_LOCKOUT_THRESHOLD),
    accountLockoutMinutes: intFrom('ACCOUNT_LOCKOUT_MINUTES', env.ACCOUNT_LOCKOUT_MINUTES),
    passwordMinLength: intFrom('PASSWORD_MIN_LENGTH', env.PASSWORD_MIN_LENGTH),
    passwordPattern: env.PASSWORD_PATTERN || undefined,
    verifyUserEmails: boolFrom('VERIFY_USER_EMAILS', env.VERIFY_USER_EMAILS),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || undefined,
    liveQueryClasses: listFrom(env.LIVE_QUERY_CLASSES),
    staticDir: env.STATIC_DIR || undefined,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL || undefined,
    cloudCode: env.CLOUD_CODE || undefined,
    webhooks: env.WEBHOOKS ? !/^(off|0|false|no)$/i.test(env.WEBHOOKS) : undefined,
    webhookMaxAttempts: intFrom('WEBHOOK_MAX_ATTEMPTS', env.WEBHOOK_MAX_ATTEMPTS),
    webhookRetryBaseMs: intFrom('WEBHOOK_RETRY_BASE_MS', env.WEBHOOK_RETRY_BASE_MS),
    webhookTimeoutMs: intFrom('WEBHOOK_TIMEOUT_MS', env.WEBHOOK_TIMEOUT_MS),
    webhookAllowedHosts: listFrom(env.WEBHOOK_ALLOWED_HOSTS),
  };
  return withoutUndefined(picked);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fromFile(file: string | undefined): Partial<ServerConfig> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerConfig>;
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
}

export function loadConfig(overrides: Partial<ServerConfig> = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const file = fromFile(env.CRM_CONFIG);
  const config: ServerConfig = {
    ...DEFAULTS,
    ...file,
    ...fromEnv(env),
    ...withoutUndefined(overrides),
  };
  validate(config);
  try {
    // Absent from the file (or overrides) → the seed's stages; an explicit list is checked whole.
    const given = overrides.stages ?? file.stages;
    config.stages = resolveStages(given, config.staleAfterDays);
  } catch (error) {
    throw new ConfigError(`${env.CRM_CONFIG && file.stages ? `${env.CRM_CONFIG}: ` : ''}${(error as Error).message}`);
  }
  config.dataDir = path.resolve(config.dataDir);
  return config;
}

function validate(config: ServerConfig): void {
  if (config.port > 65535) throw new ConfigError(`PORT must be at most 65535, got ${config.port}`);
  if (!/^[\w.-]+$/.test(config.appId)) throw new ConfigError(`APP_ID may hold letters, digits, _ . - only`);
  if (!config.mountPath.startsWith('/')) throw new ConfigError('mountPath must start with /');
  if (config.defaultLimit > config.maxLimit) throw new ConfigError('default limit exceeds MAX_LIMIT');
  if (config.passwordPattern) {
    try {
      new RegExp(config.passwordPattern);
    } catch {
      throw new ConfigError(`PASSWORD_PATTERN is not a valid regular expression: ${config.passwordPattern}`);
    }
  }
  if (config.databaseSchema && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(config.databaseSchema)) {
    throw new ConfigError('DATABASE_SCHEMA may hold letters, digits and _ only');
  }
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  validateCloudCode(config);
  validateWebhooks(config);
}

const CLOUD_CODE_EXTENSIONS = /\.(m|c)?(j|t)s$/;

function validateCloudCode(config: ServerConfig): void {
  if (config.cloudCode === undefined) return;
  if (typeof config.cloudCode !== 'string' || config.cloudCode === '') throw new ConfigError('cloudCode must be a file path');
  if (!CLOUD_CODE_EXTENSIONS.test(config.cloudCode)) {
    throw new ConfigError(`CLOUD_CODE must name a .js, .mjs, .cjs, .ts, .mts or .cts file, got "${config.cloudCode}"`);
  }
  config.cloudCode = path.resolve(config.cloudCode);
  if (!existsSync(config.cloudCode)) throw new ConfigError(`CLOUD_CODE file not found: ${config.cloudCode}`);
}

function validateWebhooks(config: ServerConfig): void {
  for (const key of ['webhookMaxAttempts', 'webhookRetryBaseMs', 'webhookTimeoutMs'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${key} must be a non-negative integer`);
  }
  if (config.webhookMaxAttempts < 1 || config.webhookMaxAttempts > 20) {
    throw new ConfigError('WEBHOOK_MAX_ATTEMPTS must be between 1 and 20');
  }
  if (config.webhookTimeoutMs < 1) throw new ConfigError('WEBHOOK_TIMEOUT_MS must be at least 1');
  const hosts = config.webhookAllowedHosts;
  if (hosts !== undefined && (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || h === ''))) {
    throw new ConfigError('webhookAllowedHosts must be a list of host names');
  }
}
