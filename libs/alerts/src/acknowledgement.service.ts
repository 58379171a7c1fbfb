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

/** What another node answered: the alert it acknowledged, or why it refused. */
export type RemoteAcknowledgement =
  | { readonly alert: Alert }
  | {
      readonly refused: {
        readonly code: AcknowledgementRefusedError['code'];
        readonly message: string;
      };
    };

/**
 * The one way an alert is acknowledged, whichever door the nurse came in by (HTTP or the
 * console's socket, on whichever node): only nurses and charge nurses, only on their wards, in
 * their own name, by the node that acts for the alert's patient.
 */
@Injectable()
export class AcknowledgementService {
  /** On a cluster: asks the other nodes to acknowledge an alert open on one of them. */
  private others?: (
    alertId: string,
    by: Acknowledger,
  ) => Promise<RemoteAcknowledgement | undefined>;

  constructor(
    private readonly alerts: AlertsService,
    @Inject(PATIENT_WARDS) private readonly wards: PatientWards,
  ) {}

  /** On a cluster, how an alert open on another node is acknowledged there. */
  askOthersWith(
    others: (alertId: string, by: Acknowledger) => Promise<RemoteAcknowledgement | undefined>,
  ): void {
    this.others = others;
  }

  /** @throws AcknowledgementRefusedError */
  async acknowledge(alertId: string, by: Acknowledger): Promise<Alert> {
    refuseUnlessClinical(by);
    const here = this.alerts.openAlerts().some((alert) => alert.id === alertId);
    const remote = here || !this.others ? undefined : await this.others(alertId, by);
    if (remote && 'alert' in remote) return remote.alert;
    if (remote) throw new AcknowledgementRefusedError(remote.refused.code, remote.refused.message);
    return this.acknowledgeHere(alertId, by);
  }

  /** Acknowledges an alert open on this node. @throws AcknowledgementRefusedError */
  async acknowledgeHere(alertId: string, by: Acknowledger): Promise<Alert> {
    refuseUnlessClinical(by);
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

function refuseUnlessClinical(by: Acknowledger): void {
  if (!CLINICAL_ROLES.includes(by.role))
    throw new AcknowledgementRefusedError('AUTH.ROLE', `a ${by.role} cannot acknowledge alerts`);
}
