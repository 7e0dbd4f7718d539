/**
 * The gate every API request passes: application id, client key, master key (constant-time, from allowed
 * addresses only) and session token → an Auth. Parse's answers: wrong app id or client key → 403
 * `unauthorized`; a wrong master key is simply not master; a dead session token → 209.
 */
import { BlockList, isIPv6 } from 'node:net';
import type { ServerConfig } from '../config/config.js';
import { unauthorized } from '../errors/parse-error.js';
import { ANONYMOUS, MASTER, type Auth } from '../security/auth.js';
import type { SessionResolver } from './session-resolver.js';
import { secretsEqual } from './tokens.js';

export interface Credentials {
  appId?: string;
  clientKey?: string;
  masterKey?: string;
  sessionToken?: string;
}

export class AuthGate {
  private readonly masterIps = new BlockList();

  constructor(
    private readonly config: ServerConfig,
    private readonly sessions: SessionResolver,
  ) {
    for (const entry of config.masterKeyIps) {
      const [address, prefix] = entry.split('/');
      const type = isIPv6(address) ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.masterIps.addAddress(address, type);
      else this.masterIps.addSubnet(address, Number(prefix), type);
    }
  }

  async authenticate(credentials: Credentials, ip: string): Promise<Auth> {
    // The application id identifies the app; it is not a secret, so a plain comparison is enough.
    if (credentials.appId !== this.config.appId) throw unauthorized();
    const isMaster = !!credentials.masterKey && secretsEqual(credentials.masterKey, this.config.masterKey);
    if (isMaster) {
      if (!this.masterAllowedFrom(ip)) throw unauthorized();
      return MASTER;
    }
    if (!this.clientKeyAccepted(credentials.clientKey)) throw unauthorized();
    if (credentials.sessionToken) return this.sessions.resolve(credentials.sessionToken);
    return ANONYMOUS;
  }

  private clientKeyAccepted(given: string | undefined): boolean {
    const keys = [this.config.javascriptKey, this.config.restApiKey].filter((k): k is string => !!k);
    if (keys.length === 0) return true;
    return !!given && keys.some((key) => secretsEqual(given, key));
  }

  masterAllowedFrom(ip: string): boolean {
    const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return this.masterIps.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  }
}
