import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  AlertsService,
  ConnectionOutages,
  PATIENT_OWNERSHIP,
  ownerKeyOf,
  type OutagePolicy,
  type PatientOwnership,
} from '@vigil/alerts';
import {
  STANDBY_SILENCED_CONDITIONS,
  WARD_CONNECTION_LOST,
  type AlertPriority,
} from '@vigil/contracts';
import { BATTERY_LOW_BELOW, isBatteryLow, isSilent } from '@vigil/rules';
import type { Subscription } from 'rxjs';
import { ClinicalEvaluator } from './clinical-evaluator';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory.port';

export const DEVICE_WATCH_OPTIONS = Symbol('DeviceWatchOptions');

export interface DeviceWatchOptions {
  /** A bound device silent this long raises `device.no-data`. */
  readonly noDataTimeoutMs: number;
  /** When lost devices raise their own alarms, and when their ward's alarm instead. */
  readonly outages: OutagePolicy;
}

type TechnicalCondition =
  'device.no-data' | 'device.offline' | 'device.battery-low' | 'device.sensor-off';

const PRIORITY: Record<TechnicalCondition, AlertPriority> = {
  'device.no-data': 'medium',
  'device.offline': 'medium',
  'device.sensor-off': 'medium',
  'device.battery-low': 'low',
};

/** A device is lost while it is offline or silent; the grouping of losses decides who alarms. */
const CONNECTION_CONDITIONS: readonly TechnicalCondition[] = ['device.offline', 'device.no-data'];

interface Holding {
  readonly value: number;
  readonly threshold: number;
}

/**
 * Technical alarms: a bound device that goes silent (checked twice a second, so it fires on time
 * without waiting for the device), goes offline, reports its sensor off, or runs low on battery.
 * What holds is kept apart from what is announced: a lost device waits for the grouping of its
 * ward's losses, and a patient on standby raises no alarm of lost data until it ends.
 */
@Injectable()
export class DeviceWatchService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeviceWatchService.name);
  private readonly lastHeard = new Map<string, number>();
  /** Conditions holding now, by device and condition, with what the alarm would say. */
  private readonly holding = new Map<string, Holding>();
  /** Conditions whose own alarm is open. */
  private readonly announced = new Set<string>();
  private readonly outages: ConnectionOutages;
  private startedAt = Date.now();
  private ticker?: NodeJS.Timeout;
  private standbyEvents?: Subscription;
  private stopping = false;

  constructor(
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
    private readonly alerts: AlertsService,
    private readonly evaluator: ClinicalEvaluator,
    @Inject(DEVICE_WATCH_OPTIONS) private readonly options: DeviceWatchOptions,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
  ) {
    this.outages = new ConnectionOutages(options.outages);
  }

  onApplicationBootstrap(): void {
    this.startedAt = Date.now();
    this.adopt((patientId) => this.ownership.owns(patientId));
    // Standby withdraws her alarms of lost data; at its end what still holds is announced.
    this.standbyEvents = this.alerts.standbys$.subscribe(({ patientId, standby }) => {
      if (standby === null) this.announceHolding(patientId);
      else this.holdBack(patientId);
    });
    // Twice a second, so a silent device is reported within its timeout plus half a second.
    this.ticker = setInterval(() => this.tick(Date.now()), 500);
  }

  /**
   * Takes up the watch of the devices of the patients `covers` selects, after their open alerts
   * (at start, or when this node comes to act for them): what their open technical alarms say
   * holds, and their silence is counted from now.
   */
  adopt(covers: (patientId: string) => boolean): void {
    const now = Date.now();
    for (const deviceId of this.directory.boundDeviceIds()) {
      const binding = this.directory.bindingOf(deviceId);
      if (binding && covers(binding.patientId) && !this.lastHeard.has(deviceId))
        this.lastHeard.set(deviceId, now);
    }
    for (const alert of this.alerts.openAlerts()) {
      if (!covers(ownerKeyOf(alert))) continue;
      // It stands while the wearables come back (a no-data timeout), then as the grouping finds.
      if (alert.rule === WARD_CONNECTION_LOST && alert.ward !== undefined)
        this.outages.restoreWardAlarm(alert.ward, alert.value, now + this.options.noDataTimeoutMs);
      if (alert.category !== 'technical' || alert.ward !== undefined) continue;
      const key = keyOf(alert.deviceId, alert.rule);
      this.holding.set(key, { value: alert.value, threshold: alert.threshold });
      this.announced.add(key);
    }
  }

  /** Stops watching the devices of the patients `covers` selects: another node acts for them. */
  release(covers: (patientId: string) => boolean): void {
    for (const deviceId of this.directory.boundDeviceIds()) {
      const binding = this.directory.bindingOf(deviceId);
      if (binding && covers(binding.patientId)) this.forgetDevice(deviceId);
    }
  }

  onModuleDestroy(): void {
    // Shutting down disconnects every device; that is not an alarm.
    this.stopping = true;
    clearInterval(this.ticker);
    this.standbyEvents?.unsubscribe();
  }

  /** A device put on a patient: her silence is counted from now, not from Vigil's start. */
  deviceBound(deviceId: string): void {
    this.lastHeard.set(deviceId, Date.now());
  }

  /** A device taken off its patient: nothing of it is watched any more (its alarms are withdrawn). */
  deviceUnbound(deviceId: string): void {
    this.forgetDevice(deviceId);
  }

  private forgetDevice(deviceId: string): void {
    this.lastHeard.delete(deviceId);
    this.outages.recover(deviceId);
    for (const key of [...this.holding.keys()])
      if (key.startsWith(`${deviceId}\u0000`)) {
        this.holding.delete(key);
        this.announced.delete(key);
      }
  }

  /** Whether the device is offline or silent now (whoever's alarm speaks for it). */
  isLost(deviceId: string): boolean {
    return this.lost(deviceId);
  }

  /**
   * Whether the device's readings may be evaluated: not while it reports its sensor off (a probe
   * off the skin sends what it picks up from the air), until it reports the sensor on again.
   */
  readingsValid(deviceId: string): boolean {
    return !this.holding.has(keyOf(deviceId, 'device.sensor-off'));
  }

  /** Ingest calls this only for a patient this node acts for (it refuses the others' samples). */
  sampleArrived(deviceId: string, battery: number | undefined): void {
    this.lastHeard.set(deviceId, Date.now());
    this.set(deviceId, 'device.no-data', false, 0);
    if (battery !== undefined) {
      const low = isBatteryLow(battery, this.holding.has(keyOf(deviceId, 'device.battery-low')));
      this.set(deviceId, 'device.battery-low', low, battery, BATTERY_LOW_BELOW);
    }
  }

  statusChanged(deviceId: string, status: 'online' | 'offline', sensor?: 'on' | 'off'): void {
    if (this.stopping || !this.watches(deviceId)) return;
    if (status === 'online') this.lastHeard.set(deviceId, Date.now());
    this.set(deviceId, 'device.offline', status === 'offline', 0);
    if (sensor) this.set(deviceId, 'device.sensor-off', sensor === 'off', 0);
  }

  private tick(now: number): void {
    this.checkSilence(now);
    this.groupLosses(now);
  }

  private checkSilence(now: number): void {
    for (const deviceId of this.directory.boundDeviceIds()) {
      const heard = this.lastHeard.get(deviceId) ?? this.startedAt;
      if (!this.watches(deviceId)) continue;
      if (isSilent(heard, now, this.options.noDataTimeoutMs)) {
        this.set(
          deviceId,
          'device.no-data',
          true,
          Math.round((now - heard) / 1000),
          this.options.noDataTimeoutMs / 1000,
        );
      }
    }
  }

  /** Lost devices raise their own alarms, or their ward's, as the grouping decides. */
  private groupLosses(now: number): void {
    const decision = this.outages.decide(now);
    for (const deviceId of decision.fold) {
      const binding = this.directory.bindingOf(deviceId);
      for (const condition of CONNECTION_CONDITIONS)
        this.announced.delete(keyOf(deviceId, condition));
      if (binding)
        this.report(
          this.alerts.withdraw(
            binding.patientId,
            'grouped',
            (alert) =>
              alert.deviceId === deviceId &&
              CONNECTION_CONDITIONS.includes(alert.rule as TechnicalCondition),
          ),
        );
    }
    for (const deviceId of decision.raise)
      for (const condition of CONNECTION_CONDITIONS) this.announce(deviceId, condition);
    for (const { ward, patients } of decision.wardAlarms)
      this.report(
        this.alerts.breach({
          patientId: '',
          ward,
          deviceId: '',
          category: 'technical',
          condition: WARD_CONNECTION_LOST,
          vital: null,
          value: patients,
          threshold: this.options.outages.minPatients,
          priority: 'medium',
          worse: 'above',
          ts: now,
          message: `Connection lost to the devices of ${patients} patients at once: check the ward's network before each patient.`,
        }),
      );
    for (const ward of decision.wardClears)
      this.report(this.alerts.clearWardAlarm(ward, WARD_CONNECTION_LOST));
  }

  /**
   * The device's readings stopped or came back: its open physiological alerts are marked as based
   * on stale data (or no longer), and once good data is back, pending breaches start their
   * sustain time again rather than fire on the first reading after the gap.
   */
  private dataStateChanged(deviceId: string, patientId: string): void {
    const stale =
      this.holding.has(keyOf(deviceId, 'device.sensor-off')) ||
      this.holding.has(keyOf(deviceId, 'device.no-data'));
    this.report(this.alerts.markDataStale(patientId, deviceId, stale));
    if (!stale) this.evaluator.restartSustainTimers(patientId);
  }

  /** Records that a technical condition holds or not, only on a change, and announces it. */
  private set(
    deviceId: string,
    condition: TechnicalCondition,
    holds: boolean,
    value: number,
    threshold = 0,
  ): void {
    const key = keyOf(deviceId, condition);
    if (holds === this.holding.has(key)) return;
    const binding = this.directory.bindingOf(deviceId);
    if (!binding) return;
    if (holds) this.holding.set(key, { value, threshold });
    else this.holding.delete(key);
    if (condition === 'device.sensor-off' || condition === 'device.no-data')
      this.dataStateChanged(deviceId, binding.patientId);
    if (!holds) {
      if (this.announced.delete(key)) this.report(this.alerts.clear(binding.patientId, condition));
      if (CONNECTION_CONDITIONS.includes(condition) && !this.lost(deviceId))
        this.outages.recover(deviceId);
      return;
    }
    if (!CONNECTION_CONDITIONS.includes(condition)) return this.announce(deviceId, condition);
    if (this.alerts.standbyOf(binding.patientId)) return;
    // A device whose own alarm already speaks for it: its further loss is said at once.
    if (this.outages.announcedAlone(deviceId)) return this.announce(deviceId, condition);
    this.outages.lose(deviceId, binding.patientId, binding.ward, Date.now());
  }

  /** Raises the alarm of a condition that holds, unless standby holds it back. */
  private announce(deviceId: string, condition: TechnicalCondition): void {
    const key = keyOf(deviceId, condition);
    const holding = this.holding.get(key);
    const binding = this.directory.bindingOf(deviceId);
    if (!holding || !binding || this.announced.has(key)) return;
    if (STANDBY_SILENCED_CONDITIONS.includes(condition) && this.alerts.standbyOf(binding.patientId))
      return;
    this.announced.add(key);
    this.report(
      this.alerts.breach({
        patientId: binding.patientId,
        deviceId,
        category: 'technical',
        condition,
        vital: null,
        value: holding.value,
        threshold: holding.threshold,
        priority: PRIORITY[condition],
        worse: condition === 'device.battery-low' ? 'below' : 'above',
        ts: Date.now(),
      }),
    );
  }

  /** A patient went on standby: her devices' alarms of lost data are no longer open. */
  private holdBack(patientId: string): void {
    for (const [deviceId] of this.devicesOf(patientId)) {
      this.outages.recover(deviceId);
      for (const condition of STANDBY_SILENCED_CONDITIONS)
        this.announced.delete(keyOf(deviceId, condition));
    }
  }

  /** A patient's standby ended: what still holds on her devices is announced. */
  private announceHolding(patientId: string): void {
    for (const [deviceId, ward] of this.devicesOf(patientId)) {
      if (this.holding.has(keyOf(deviceId, 'device.sensor-off')))
        this.announce(deviceId, 'device.sensor-off');
      if (this.lost(deviceId)) this.outages.lose(deviceId, patientId, ward, Date.now());
    }
  }

  /** The devices the patient wears now, with her ward. */
  private *devicesOf(patientId: string): Iterable<[string, string]> {
    for (const deviceId of this.directory.boundDeviceIds()) {
      const binding = this.directory.bindingOf(deviceId);
      if (binding?.patientId === patientId) yield [deviceId, binding.ward];
    }
  }

  /** Whether this node acts for the patient wearing the device (on a single node, always). */
  private watches(deviceId: string): boolean {
    const patientId = this.directory.bindingOf(deviceId)?.patientId;
    return patientId !== undefined && this.ownership.owns(patientId);
  }

  private lost(deviceId: string): boolean {
    return CONNECTION_CONDITIONS.some((condition) => this.holding.has(keyOf(deviceId, condition)));
  }

  private report(done: Promise<void>): void {
    done.catch((error: unknown) =>
      this.logger.error(`technical alarm not recorded: ${String(error)}`),
    );
  }
}

function keyOf(deviceId: string, condition: string): string {
  return `${deviceId}\u0000${condition}`;
}
