import { Injectable } from '@angular/core';
import { Subject } from 'rxjs';

/** Lets the SDK layer announce an expired session without depending on the auth feature. */
@Injectable({ providedIn: 'root' })
export class SessionEvents {
  readonly expired = new Subject<void>();
}
