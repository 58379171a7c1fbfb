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
