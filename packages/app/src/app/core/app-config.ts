import { DOCUMENT, InjectionToken, inject } from '@angular/core';

export interface AppConfig {
  appId: string;
  serverURL: string;
  liveQueryServerURL: string;
}

export const DEFAULT_APP_ID = 'crm';

/**
 * The API is served from the same origin as the app, so only the app id can vary between installs; the server
 * announces it with `<meta name="crm-app-id">` when it is not the default.
 */
export function readAppConfig(
  doc: Pick<Document, 'querySelector'> & { location: Pick<Location, 'protocol' | 'host' | 'origin'> },
): AppConfig {
  const announced = doc.querySelector<HTMLMetaElement>('meta[name="crm-app-id"]')?.content.trim();
  const { protocol, host, origin } = doc.location;
  return {
    appId: announced || DEFAULT_APP_ID,
    serverURL: `${origin}/parse`,
    liveQueryServerURL: `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/parse`,
  };
}

export const APP_CONFIG = new InjectionToken<AppConfig>('APP_CONFIG', {
  providedIn: 'root',
  factory: () => readAppConfig(inject(DOCUMENT)),
});
