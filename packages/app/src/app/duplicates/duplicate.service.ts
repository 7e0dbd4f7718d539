import { Injectable } from '@angular/core';
import Parse from 'parse';

export type DedupeClass = 'Contact' | 'Company';

/**
 * The server flags a new contact (same email) or company (same web domain) with `duplicateOf`, only against
 * records the user can see. Here the user resolves a flag: merge the duplicate into the original (the server's
 * `merge` function moves deals and activities, fills empty fields, deletes the duplicate) or dismiss it.
 */
@Injectable({ providedIn: 'root' })
export class DuplicateService {
  merge(className: DedupeClass, survivorId: string, duplicateId: string): Promise<unknown> {
    return Parse.Cloud.run('merge', { className, survivorId, duplicateIds: [duplicateId] });
  }

  async dismiss(className: DedupeClass, id: string): Promise<void> {
    const object = new Parse.Object(className);
    object.id = id;
    object.unset('duplicateOf');
    await object.save();
  }
}
