import Parse from 'parse';

// The SDK is configured once per test file, as the app does at start; tests swap the REST controller.
Parse.initialize('test-app', undefined as unknown as string);
Parse.serverURL = 'http://localhost/parse';

beforeEach(() => localStorage.clear());
