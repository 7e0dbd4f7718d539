import { readAppConfig } from './app-config';

function page(url: string, appIdMeta?: string) {
  const doc = document.implementation.createHTMLDocument('t');
  if (appIdMeta !== undefined) {
    const meta = doc.createElement('meta');
    meta.name = 'crm-app-id';
    meta.content = appIdMeta;
    doc.head.append(meta);
  }
  return { querySelector: doc.querySelector.bind(doc) as Document['querySelector'], location: new URL(url) };
}

describe('readAppConfig', () => {
  it('defaults to the crm app id on the same origin', () => {
    expect(readAppConfig(page('http://localhost:4200/pipeline'))).toEqual({
      appId: 'crm',
      serverURL: 'http://localhost:4200/parse',
      liveQueryServerURL: 'ws://localhost:4200/parse',
    });
  });

  it('takes the app id the server announces and uses wss behind https', () => {
    const config = readAppConfig(page('https://crm.example.com/', ' acme '));
    expect(config.appId).toBe('acme');
    expect(config.liveQueryServerURL).toBe('wss://crm.example.com/parse');
  });

  it('ignores an empty announcement', () => {
    expect(readAppConfig(page('http://h/', '')).appId).toBe('crm');
  });
});
