import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { Observation as FhirObservation, Resource } from '@medplum/fhirtypes';
import type { Patient } from '@vigil/contracts';
import {
  OBSERVATION_STORE,
  TELEMETRY_STORE,
  type ObservationStore,
  type TelemetryStore,
} from '@vigil/storage';
import type { Request } from 'express';
import { Public } from '../auth/access.decorators';
import { AuditTrail } from '../registry/audit-trail';
import { DeviceRegistry } from '../registry/device-registry';
import { PatientRegistry } from '../registry/patient-registry';
import { chartNurseSet, chartSample } from './charted-observations';
import {
  FhirAccessGuard,
  Reader,
  mayReadPatient,
  requirePatient,
  requireScope,
  type FhirReader,
} from './fhir-access';
import { searchset } from './fhir-bundles';
import { encounterIdOf, parseObservationId, patientKeyOfEncounterId, shortKeyOf } from './fhir-ids';
import { FhirIdentities } from './fhir-identities';
import { toFhirDevice, toFhirEncounter, toFhirPatient } from './fhir-resources';
import {
  parseLastN,
  parseObservationSearch,
  parseOnePatientSearch,
  parsePatientSearch,
  plainParams,
  type Parsed,
  type QueryParams,
} from './fhir-search';
import { FhirJsonInterceptor } from './fhir-json.interceptor';
import { ObservationListing, chartingContext } from './observation-listing';

function invalid(problems: string[]): BadRequestException {
  return new BadRequestException({ code: 'FHIR.SEARCH_INVALID', message: problems });
}

function notFound(type: string, id: string): NotFoundException {
  return new NotFoundException({
    code: 'FHIR.NOT_FOUND',
    message: [`${type}/${id} is not known here`],
  });
}

/** @throws 400 with every problem of the search. */
function valid<T>(parsed: Parsed<T>): T {
  if ('problems' in parsed) throw invalid(parsed.problems);
  return parsed.ok;
}

/** @throws 400 for a parameter with a nested value (`a[b]=c`), which FHIR has none of. */
function parameters(raw: Record<string, unknown>): QueryParams {
  return valid(plainParams(raw));
}

/**
 * The FHIR R4 (4.0.1) read API: Patient, Device, Encounter and Observation, read and searched,
 * for people as the rest of the API lets them and for API clients as their scopes do. Every read
 * of a patient's data is in the audit trail.
 */
@Controller('fhir')
@Public()
@UseGuards(FhirAccessGuard)
@UseInterceptors(FhirJsonInterceptor)
export class FhirController {
  constructor(
    private readonly identities: FhirIdentities,
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
    private readonly listing: ObservationListing,
    private readonly audit: AuditTrail,
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(OBSERVATION_STORE) private readonly observations: ObservationStore,
  ) {}

  @Get('Patient')
  async searchPatients(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
    @Reader() reader: FhirReader,
  ): Promise<Resource> {
    requireScope(reader, 'Patient', 's');
    const { identifiers, name, count, offset } = valid(parsePatientSearch(parameters(raw)));
    const matches = this.patients.list().filter(
      (patient) =>
        mayReadPatient(reader, patient) &&
        (identifiers === undefined ||
          identifiers.some((token) =>
            patient.identifiers.some(
              (id) =>
                (token.system === undefined || id.system === token.system) &&
                id.value === token.code,
            ),
          )) &&
        (name === undefined ||
          patient.name.toLowerCase().startsWith(name) ||
          patient.name
            .toLowerCase()
            .split(/\s+/)
            .some((part) => part.startsWith(name))),
    );
    const page = matches.slice(offset, offset + count);
    await this.recordReads(reader, page, 'Patient search');
    const next = offset + count < matches.length ? { ts: offset + count, key: '' } : undefined;
    return searchset(request, page.map(toFhirPatient), next, offset === 0);
  }

  @Get('Patient/:id')
  async readPatient(@Param('id') id: string, @Reader() reader: FhirReader): Promise<Resource> {
    requireScope(reader, 'Patient', 'r');
    const patient = this.readablePatient(reader, id);
    await this.recordReads(reader, [patient], 'Patient read');
    return toFhirPatient(patient);
  }

  @Get('Device')
  async searchDevices(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
    @Reader() reader: FhirReader,
  ): Promise<Resource> {
    requireScope(reader, 'Device', 's');
    const search = valid(
      parseOnePatientSearch(parameters(raw), { of: 'devices', byStatus: false }),
    );
    const patient = this.readablePatient(reader, search.patient);
    await this.recordReads(reader, [patient], 'Device search');
    return searchset(
      request,
      this.devices.devicesOf(patient.id).map(toFhirDevice),
      undefined,
      true,
    );
  }

  @Get('Device/:id')
  readDevice(@Param('id') id: string, @Reader() reader: FhirReader): Resource {
    requireScope(reader, 'Device', 'r');
    const device = this.identities.device(id);
    if (!device) throw notFound('Device', id);
    const wearer = device.patientId === null ? undefined : this.patients.find(device.patientId);
    if (wearer) requirePatient(reader, wearer);
    return toFhirDevice(device);
  }

  @Get('Encounter')
  async searchEncounters(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
    @Reader() reader: FhirReader,
  ): Promise<Resource> {
    requireScope(reader, 'Encounter', 's');
    const { patient: patientId, statuses } = valid(
      parseOnePatientSearch(parameters(raw), { of: 'encounters', byStatus: true }),
    );
    const patient = this.readablePatient(reader, patientId);
    const encounters = (await this.patients.stays(patient.id))
      .map(toFhirEncounter)
      .filter((encounter) => statuses === undefined || statuses.includes(encounter.status));
    await this.recordReads(reader, [patient], 'Encounter search');
    return searchset(request, encounters, undefined, true);
  }

  @Get('Encounter/:id')
  async readEncounter(@Param('id') id: string, @Reader() reader: FhirReader): Promise<Resource> {
    requireScope(reader, 'Encounter', 'r');
    const key = patientKeyOfEncounterId(id);
    const patient = key === undefined ? undefined : this.identities.patientByKey(key);
    if (!patient) throw notFound('Encounter', id);
    requirePatient(reader, patient);
    const stay = (await this.patients.stays(patient.id)).find(
      (candidate) => encounterIdOf(patient.id, candidate.id) === id,
    );
    if (!stay) throw notFound('Encounter', id);
    await this.recordReads(reader, [patient], 'Encounter read');
    return toFhirEncounter(stay);
  }

  @Get('Observation')
  async searchObservations(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
    @Reader() reader: FhirReader,
  ): Promise<Resource> {
    requireScope(reader, 'Observation', 's');
    const search = valid(parseObservationSearch(parameters(raw)));
    const patient = this.readablePatient(reader, search.patient);
    const page = await this.listing.page(patient, await this.patients.stays(patient.id), search);
    await this.recordReads(reader, [patient], 'Observation search', page.entries.length);
    return searchset(
      request,
      page.entries.map((entry) => entry.resource),
      page.next,
      search.cursor === undefined,
    );
  }

  /** The latest `max` (default 1) Observations of each code (FHIR R4 Observation $lastn). */
  @Get('Observation/$lastn')
  async lastN(
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
    @Reader() reader: FhirReader,
  ): Promise<Resource> {
    requireScope(reader, 'Observation', 's');
    const search = valid(parseLastN(parameters(raw)));
    const patient = this.readablePatient(reader, search.patient);
    const latest = await this.listing.latest(
      patient,
      await this.patients.stays(patient.id),
      search,
      search.max,
    );
    await this.recordReads(reader, [patient], 'Observation $lastn', latest.length);
    return searchset(
      request,
      latest.map((entry) => entry.resource),
      undefined,
      true,
    );
  }

  @Get('Observation/:id')
  async readObservation(@Param('id') id: string, @Reader() reader: FhirReader): Promise<Resource> {
    requireScope(reader, 'Observation', 'r');
    const found = await this.findObservation(id, reader);
    if (!found) throw notFound('Observation', id);
    await this.recordReads(reader, [found.patient], 'Observation read', 1);
    return found.resource;
  }

  private async findObservation(
    id: string,
    reader: FhirReader,
  ): Promise<{ patient: Patient; resource: FhirObservation } | undefined> {
    const parsed = parseObservationId(id);
    if (!parsed) return undefined;
    const { origin } = parsed;
    let patient: Patient | undefined;
    let charted;
    if (origin.from === 'nurse') {
      const set = await this.observations.find(origin.observationId);
      patient = set && this.patients.find(set.patientId);
      if (!set || !patient) return undefined;
      requirePatient(reader, patient);
      charted = chartNurseSet(set, chartingContext(patient, await this.patients.stays(patient.id)));
    } else {
      patient = this.identities.patientByKey(origin.patientKey);
      if (!patient) return undefined;
      requirePatient(reader, patient);
      const samples = await this.telemetry.querySamples({
        patientId: patient.id,
        from: origin.ts,
        to: origin.ts + 1,
      });
      const sample = samples.find(
        (candidate) => shortKeyOf(candidate.deviceId) === origin.deviceKey,
      );
      if (!sample) return undefined;
      charted = chartSample(
        sample,
        chartingContext(patient, await this.patients.stays(patient.id)),
      );
    }
    const resource = charted.find((entry) => entry.resource.id === id)?.resource;
    return resource && { patient, resource };
  }

  /** @throws 404 for a patient not known, 403 for one on a ward the reader is not on. */
  private readablePatient(reader: FhirReader, fhirId: string): Patient {
    const patient = this.identities.patient(fhirId);
    if (!patient) throw notFound('Patient', fhirId);
    requirePatient(reader, patient);
    return patient;
  }

  private async recordReads(
    reader: FhirReader,
    patients: readonly Patient[],
    what: string,
    resources?: number,
  ): Promise<void> {
    if (patients.length === 0) return;
    await this.audit.recordFhirReads(
      patients.map((patient) => patient.id),
      reader.by,
      { [what]: resources ?? 1 },
    );
  }
}
