import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ClinicalSettings } from './clinical-settings';
import { DeviceRegistry } from './device-registry';
import { PatientRegistry } from './patient-registry';
import { readSeedFile } from './seed-file';

export const REGISTRY_OPTIONS = Symbol('RegistryOptions');

export interface RegistryOptions {
  readonly seedFile?: string;
}

/**
 * Loads the registries from the store at start-up, in order (devices name patients), then admits
 * and binds what the seed file lists and is not known yet: a restart re-reads it harmlessly.
 */
@Injectable()
export class RegistryLoader implements OnModuleInit {
  private readonly logger = new Logger(RegistryLoader.name);

  constructor(
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
    private readonly settings: ClinicalSettings,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.patients.load();
    await this.devices.load();
    await this.settings.load();
    if (this.options.seedFile) await this.applySeed(this.options.seedFile);
  }

  private async applySeed(file: string): Promise<void> {
    const seed = await readSeedFile(file);
    const patients = seed.patients.filter((patient) => !this.patients.find(patient.id));
    const devices = seed.devices.filter((device) => !this.devices.has(device.id));
    for (const patient of patients) await this.patients.admit(patient, 'seed file');
    for (const device of devices) await this.devices.register(device, 'seed file');
    this.logger.log(
      `seed file: ${patients.length} patients admitted, ${devices.length} devices bound`,
    );
  }
}
