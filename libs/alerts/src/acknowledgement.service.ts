import { Inject, Injectable } from '@nestjs/common';
import { CLINICAL_ROLES, seesWard, wardOfAlert, type Alert, type UserView } from '@vigil/contracts';
import { AlertNotFoundError, AlertsService } from './alerts.service';
import { PATIENT_WARDS, type PatientWards } from './patient-wards.port';

export type Acknowledger = Pick<UserView, 'username' | 'role' | 'wards'>;

/** Why an acknowledgement was refused, with the code the HTTP API and the console report. */
export class AcknowledgementRefusedError extends Error {
  constructor(
    readonly code: 'AUTH.ROLE' | 'AUTH.WARD' | 'ALERT.NOT_OPEN',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The one way an alert is acknowledged, whichever door the nurse came in by (HTTP or the
 * console's socket): only nurses and charge nurses, only on their wards, in their own name.
 */
@Injectable()
export class AcknowledgementService {
  constructor(
    private readonly alerts: AlertsService,
    @Inject(PATIENT_WARDS) private readonly wards: PatientWards,
  ) {}

  /** @throws AcknowledgementRefusedError */
  async acknowledge(alertId: string, by: Acknowledger): Promise<Alert> {
    if (!CLINICAL_ROLES.includes(by.role))
      throw new AcknowledgementRefusedError('AUTH.ROLE', `a ${by.role} cannot acknowledge alerts`);
    const open = this.alerts.openAlerts().find((alert) => alert.id === alertId);
    if (
      open &&
      !seesWard(
        by,
        wardOfAlert(open, (id) => this.wards.wardOf(id)),
      )
    )
      throw new AcknowledgementRefusedError(
        'AUTH.WARD',
        'this alert is on a ward you are not assigned to',
      );
    try {
      return await this.alerts.acknowledge(alertId, by.username);
    } catch (error) {
      if (error instanceof AlertNotFoundError)
        throw new AcknowledgementRefusedError('ALERT.NOT_OPEN', error.message);
      throw error;
    }
  }
}
