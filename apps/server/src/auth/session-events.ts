import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

/**
 * Sessions that just ended, whoever ended them (sign-out, an administrator's change, a replayed
 * refresh token): the session service forgets them, the gateway closes their consoles.
 */
@Injectable()
export class SessionEvents {
  private readonly subject = new Subject<readonly string[]>();
  readonly ended$ = this.subject.asObservable();

  ended(sessionIds: readonly string[]): void {
    if (sessionIds.length > 0) this.subject.next(sessionIds);
  }
}
