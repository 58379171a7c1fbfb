import { Injectable } from '@nestjs/common';
import type { CarePatientChange } from '@vigil/gateway';
import { Subject } from 'rxjs';

/** What happened to a patient's place on the wards, as the consoles must learn of it. */
export type PatientChange = CarePatientChange;

/** Announces each change to a patient's stay, after it is stored. */
@Injectable()
export class PatientChanges {
  private readonly subject = new Subject<PatientChange>();
  readonly changes$ = this.subject.asObservable();

  announce(change: PatientChange): void {
    this.subject.next(change);
  }
}
