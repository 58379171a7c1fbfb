import { Inject, Injectable } from '@nestjs/common';
import {
  REGISTRY_STORE,
  auditEntry,
  type AuditQuery,
  type RegistryStore,
  type StoredAuditEntry,
} from '@vigil/storage';

/** Reads of the audit trail, and the record of reads of patient data. */
@Injectable()
export class AuditTrail {
  constructor(@Inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  list(query: AuditQuery): Promise<StoredAuditEntry[]> {
    return this.store.listAudit(query);
  }

  /** Records an action that changes nothing stored elsewhere (an alarm pause). */
  record(by: string, action: string, subject: string, what: unknown): Promise<void> {
    return this.store.recordAudit(auditEntry(by, action, subject, undefined, what));
  }

  /** Records reads of patients' data through the FHIR API, in one transaction. */
  recordFhirReads(patientIds: readonly string[], by: string, what: unknown): Promise<void> {
    return this.store.recordAudit(
      ...patientIds.map((patientId) =>
        auditEntry(by, 'patient.fhir-read', patientId, undefined, what),
      ),
    );
  }

  /** Records a read of patient data (a history export). */
  recordExport(patientId: string, by: string, what: unknown): Promise<void> {
    return this.store.recordAudit(
      auditEntry(by, 'patient.vitals-exported', patientId, undefined, what),
    );
  }
}
