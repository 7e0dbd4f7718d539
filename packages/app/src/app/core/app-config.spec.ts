import { readAppConfig } from './app-config';

function fakeDocument(url: string, appIdMeta?: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  if (appIdMeta !== undefined) {
    const meta = doc.createElement('meta');
    meta.name = 'crm-app-id';
    meta.content = appIdMeta;
    doc.head.append(meta);
  }
  const location = new URL(url);
  return Object.assign(Object.create(doc), { querySelector: doc.querySelector.bind(doc), location });
}

describe('readAppConfig', () => {
  it('defaults to the crm app id on the same origin', () => {
    expect(readAppConfig(fakeDocument('http://localhost:4200/pipeline'))).toEqual({
      appId: 'crm',
      serverURL: 'http://localhost:4200/parse',
      liveQueryServerURL: 'ws://localhost:4200/parse',
    });
  });

  it('takes the app id the server announces and uses wss behind https', () => {
    const config = readAppConfig(fakeDocument('https://crm.example.com/', ' acme '));
    expect(config.appId).toBe('acme');
    expect(config.liveQueryServerURL).toBe('wss://crm.example.com/parse');
  });

  it('ignores an empty announcement', () => {
    expect(readAppConfig(fakeDocument('http://h/', '')).appId).toBe('crm');
  });
});
