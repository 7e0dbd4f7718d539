import { TestBed } from '@angular/core/testing';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { provideFakeLive } from '../../testing/fake-live';
import { fakeRest, savedReply } from '../../testing/fake-rest';
import { wireObject } from '../../testing/parse-fixtures';
import { ActivityService } from './activity.service';

const me = { __type: 'Pointer', className: '_User', objectId: 'u1' };

describe('ActivityService', () => {
  let activities: ActivityService;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideFakeLive().provider] });
    TestBed.inject(AuthService).user.set({ id: 'u1', username: 'ana', email: '' });
    activities = TestBed.inject(ActivityService);
  });

  it('loads my open activities, due first', async () => {
    const calls = fakeRest(() => ({
      results: [
        wireObject('Activity', 'a1', { type: 'call', subject: 'Intro', createdBy: me }),
        wireObject('Activity', 'a2', { type: 'email', subject: 'Quote', createdBy: me }),
      ],
    }));
    await activities.loadMine();
    expect(calls[0].data['where']).toEqual({ createdBy: me, completedAt: { $exists: false } });
    expect(calls[0].data['order']).toBe('dueDate');
    expect(activities.myOpen().map((a) => a.id)).toEqual(['a1', 'a2']);
  });

  it('loads a company timeline with one query per related class', async () => {
    const calls = fakeRest(() => ({ results: [] }));
    await activities.loadFor('company:c1', [
      { className: 'Contact', id: 'p1' },
      { className: 'Deal', id: 'd1' },
      { className: 'Deal', id: 'd2' },
    ]);
    expect(calls.map((call) => call.data['where'])).toEqual([
      { relatedTo: { $in: [{ __type: 'Pointer', className: 'Contact', objectId: 'p1' }] } },
      {
        relatedTo: {
          $in: [
            { __type: 'Pointer', className: 'Deal', objectId: 'd1' },
            { __type: 'Pointer', className: 'Deal', objectId: 'd2' },
          ],
        },
      },
    ]);
  });

  it('logs an activity on a deal as the signed-in user; a note is done when written', async () => {
    const calls = fakeRest(() => savedReply('a5'));
    const { activity } = await activities.log({
      type: 'note',
      subject: ' Met at the fair ',
      description: '',
      dueDate: null,
      related: { className: 'Deal', id: 'd1', name: 'Big deal' },
    });
    expect(calls[0].data).toMatchObject({
      type: 'note',
      subject: 'Met at the fair',
      relatedTo: { __type: 'Pointer', className: 'Deal', objectId: 'd1' },
      createdBy: me,
      completedAt: { __type: 'Date' },
    });
    expect(activity.related).toEqual({ className: 'Deal', id: 'd1', name: 'Big deal' });
  });

  it('ticks an activity off at once and unticks it if the server refuses', async () => {
    fakeRest(() => ({ results: [wireObject('Activity', 'a1', { type: 'call', subject: 'Intro', createdBy: me })] }));
    await activities.loadMine();
    fakeRest(() => {
      throw new Parse.Error(Parse.Error.OPERATION_FORBIDDEN, 'no');
    });
    const done = activities.setDone('a1', true);
    expect(activities.all()[0].completedAt).toBeInstanceOf(Date);
    await expect(done).rejects.toMatchObject({ code: Parse.Error.OPERATION_FORBIDDEN });
    expect(activities.all()[0].completedAt).toBeNull();
  });
});
