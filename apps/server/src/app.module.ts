import { Module, type DynamicModule } from '@nestjs/common';
import { AlertsModule, PATIENT_OWNERSHIP } from '@vigil/alerts';
import { BrokerModule } from '@vigil/broker';
import { GatewayModule } from '@vigil/gateway';
import { IngestModule, IngestService } from '@vigil/ingest';
import { StorageModule } from '@vigil/storage';
import { AuthModule } from './auth/auth.module';
import { CareAccess } from './auth/care-access';
import type { VigilConfig } from './config/vigil-config';
import { loggingModule } from './operations/logging';
import type { DestinationStream } from 'pino';
import { AlarmPauseController } from './operations/alarm-pause.controller';
import { StandbyController } from './operations/standby.controller';
import { AlarmLoadController } from './reports/alarm-load.controller';
import { AlertsController } from './operations/alerts.controller';
import { EventLoopMonitor } from './operations/event-loop-monitor';
import { HealthController } from './operations/health.controller';
import { MetricsController } from './operations/metrics.controller';
import { DeviceSecretsController } from './registry/device-secrets.controller';
import { PatientSettingsController } from './registry/patient-settings.controller';
import { RegistryModule } from './registry/registry.module';
import { ClinicalSettings } from './registry/clinical-settings';
import { DeviceRegistry } from './registry/device-registry';
import { PatientRegistry } from './registry/patient-registry';
import { StaysModule } from './stays/stays.module';
import { FhirModule } from './fhir/fhir.module';
import { EhrChartingModule } from './hl7/ehr-charting.module';
import { Hl7Module } from './hl7/hl7.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservationsModule } from './observations/observations.module';
import { brokerOptions } from './config/broker-options';
import { EdgeFleetModule } from './workers/edge-fleet.module';
import { ClusterOwnership } from './cluster/cluster-ownership';
import { ClusterOwnershipModule } from './cluster/cluster-ownership.module';
import { OwnershipHandover } from './cluster/ownership-handover';
import { CHANGE_FOLLOWER_DATABASE, ChangeFollower } from './cluster/change-follower';

/** Composes the line: broker → ingest → storage and rules → alerts → gateway. */
@Module({})
export class AppModule {
  /** `logStream`: where the log lines go instead of standard output (tests read them). */
  static forRoot(config: VigilConfig, logStream?: DestinationStream): DynamicModule {
    const registry = RegistryModule.forRoot({ seedFile: config.seedFile });
    const cluster =
      config.cluster && config.databaseUrl
        ? ClusterOwnershipModule.forRoot(config.cluster, config.databaseUrl)
        : undefined;
    const ingest = IngestModule.forRoot({
      imports: [registry],
      deviceDirectory: DeviceRegistry,
      clinicalProfiles: ClinicalSettings,
      deviceWatch: {
        noDataTimeoutMs: config.noDataTimeoutMs,
        outages: {
          groupingWindowMs: config.lostDeviceGroupingMs,
          // On a cluster a ward's patients are spread over the nodes, none of which sees all of
          // its lost devices: each device raises its own alarm (docs/operations.md).
          minPatients: cluster ? Number.POSITIVE_INFINITY : config.wardOutagePatients,
        },
      },
      ingest: { maxSamplesPerSecond: config.mqttMaxSamplesPerSecond },
    });
    const broker =
      config.workers > 1 || cluster
        ? EdgeFleetModule.forRoot({
            workers: config.workers,
            imports: [registry, ingest, ...(cluster ? [cluster] : [])],
            ...(config.cluster && {
              links: {
                key: config.auth.signingKey as string,
                host: config.bindAddress,
                port: config.cluster.peerPort,
              },
            }),
          })
        : BrokerModule.forRoot({
            options: brokerOptions(config),
            imports: [registry, ingest],
            accessPolicy: DeviceRegistry,
            messageHandler: IngestService,
          });
    const observations = ObservationsModule.forRoot({ imports: [registry, ingest] });
    const stays = StaysModule.forRoot({ imports: [registry, ingest, broker, observations] });
    const auth = AuthModule.forRoot({ options: config.auth, dataDir: config.dataDir, registry });
    return {
      module: AppModule,
      imports: [
        loggingModule({ ...config.log, stream: logStream }),
        StorageModule.forRoot({
          dataDir: config.dataDir,
          influx: config.influx,
          encryptionKey: config.dbEncryptionKey,
          databaseUrl: config.databaseUrl,
          sharedUse: cluster ? 'cluster' : 'single',
        }),
        AlertsModule.forRoot({
          escalation: {
            escalateAfterMs: config.escalateAfterMs,
            remindEveryMs: config.remindEveryMs,
          },
          imports: [registry, ...(cluster ? [cluster] : [])],
          patientWards: PatientRegistry,
          ...(cluster && {
            ownership: { provide: PATIENT_OWNERSHIP, useExisting: ClusterOwnership },
          }),
        }),
        registry,
        ingest,
        broker,
        stays,
        observations,
        ...(config.hl7
          ? [
              Hl7Module.forRoot({
                imports: [registry, stays],
                listener: {
                  port: config.hl7.port,
                  host: config.bindAddress,
                  allowedAddresses: config.hl7.allowedAddresses,
                  ...(config.tls && {
                    tls: {
                      key: config.tls.key,
                      cert: config.tls.cert,
                      clientCa: config.tls.clientCa,
                    },
                  }),
                },
              }),
            ]
          : []),
        ...(config.hl7Out ? [EhrChartingModule.forRoot(config.hl7Out, [registry])] : []),
        auth,
        FhirModule.forRoot([registry, auth]),
        NotificationsModule.forRoot({ imports: [registry], options: config.notifications }),
        GatewayModule.forRoot({
          imports: [ingest, auth],
          access: CareAccess,
          clustered: config.redisUrl !== undefined,
        }),
      ],
      // Here, not in RegistryModule: they also need ingest's ClinicalEvaluator and the broker.
      controllers: [
        HealthController,
        MetricsController,
        AlertsController,
        PatientSettingsController,
        AlarmPauseController,
        StandbyController,
        AlarmLoadController,
        DeviceSecretsController,
      ],
      providers: [
        { provide: EventLoopMonitor, useFactory: () => new EventLoopMonitor() },
        OwnershipHandover,
        ...(cluster
          ? [{ provide: CHANGE_FOLLOWER_DATABASE, useValue: config.databaseUrl }, ChangeFollower]
          : []),
      ],
    };
  }
}
