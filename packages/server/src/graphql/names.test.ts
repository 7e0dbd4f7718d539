import { describe, expect, it } from 'vitest';
import { classNamesFor, pluralize } from './names.js';

describe('GraphQL names of classes (Parse’s spelling)', () => {
  it.each([
    ['_User', { type: 'User', single: 'user', plural: 'users' }],
    ['_Role', { type: 'Role', single: 'role', plural: 'roles' }],
    ['_Session', { type: 'Session', single: 'session', plural: 'sessions' }],
    ['Deal', { type: 'Deal', single: 'deal', plural: 'deals' }],
    ['Activity', { type: 'Activity', single: 'activity', plural: 'activities' }],
    ['Company', { type: 'Company', single: 'company', plural: 'companies' }],
    ['lead', { type: 'Lead', single: 'lead', plural: 'leads' }],
  ])('%s', (className, names) => {
    expect(classNamesFor(className)).toEqual(names);
  });

  it('plurals of identifiers', () => {
    expect(['box', 'address', 'match', 'wish', 'day', 'story', 'quiz'].map(pluralize)).toEqual([
      'boxes',
      'addresses',
      'matches',
      'wishes',
      'days',
      'stories',
      'quizes',
    ]);
  });
});
