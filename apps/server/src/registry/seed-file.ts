import { CreatePatientDto, SeedDeviceDto } from '@vigil/dto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFile } from 'node:fs/promises';

export interface Seed {
  readonly patients: CreatePatientDto[];
  readonly devices: SeedDeviceDto[];
}

/**
 * Reads a seed file: `{"patients": [{id, name, ward}], "devices": [{id, patientId}]}`.
 * Any invalid entry stops start-up with every problem listed.
 */
export async function readSeedFile(file: string): Promise<Seed> {
  let body: { patients?: unknown[]; devices?: unknown[] };
  try {
    body = JSON.parse(await readFile(file, 'utf8')) as typeof body;
  } catch (error) {
    throw new Error(`SEED_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const validated = <T extends object>(
    kind: string,
    type: new () => T,
    items: unknown[] = [],
  ): T[] =>
    items.map((item, index) => {
      const dto = plainToInstance(type, item);
      for (const error of validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })) {
        problems.push(`${kind}[${index}]: ${Object.values(error.constraints ?? {}).join('; ')}`);
      }
      return dto;
    });
  const seed = {
    patients: validated('patients', CreatePatientDto, body.patients),
    devices: validated('devices', SeedDeviceDto, body.devices),
  };
  if (problems.length > 0)
    throw new Error(`SEED_FILE ${file} is invalid:\n  ${problems.join('\n  ')}`);
  return seed;
}
