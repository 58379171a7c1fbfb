/** A device bound to a patient who was never admitted. */
export class UnknownPatientError extends Error {
  constructor(readonly patientId: string) {
    super(`patientId: no patient ${patientId} is admitted`);
  }
}

export class PatientNotFoundError extends Error {
  constructor(readonly patientId: string) {
    super(`no patient ${patientId}`);
  }
}

export class DeviceNotFoundError extends Error {
  constructor(readonly deviceId: string) {
    super(`no device ${deviceId}`);
  }
}

/** A change that the patient's or device's present state does not allow: 409 with this code. */
export class RegistryConflictError extends Error {
  constructor(
    readonly code:
      | 'PATIENT.DISCHARGED'
      | 'PATIENT.ADMITTED'
      | 'PATIENT.SAME_PLACE'
      | 'PATIENT.NO_MOVE'
      | 'DEVICE.IN_USE'
      | 'DEVICE.NOT_BOUND'
      | 'DEVICE.REVOKED',
    message: string,
  ) {
    super(message);
  }
}

export class StayNotFoundError extends Error {
  constructor(
    readonly patientId: string,
    readonly stayId: string,
  ) {
    super(`patient ${patientId} has no stay ${stayId}`);
  }
}

/** A binding's `since` that is no valid time for it: 400. */
export class BindingTimeError extends Error {}
