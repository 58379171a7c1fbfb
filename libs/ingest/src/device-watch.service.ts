import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { AlertPriority } from '@vigil/contracts';
import { BATTERY_LOW_BELOW, isBatteryLow, isSilent } from '@vigil/rules';
import { ClinicalEvaluator } from './clinical-evaluator';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory.port';

export const DEVICE_WATCH_OPTIONS = Symbol('DeviceWatchOptions');

export interface DeviceWatchOptions {
  /** A bound device silent this long raises `device.no-data`. */
  readonly noDataTimeoutMs: number;
}

type TechnicalCondition =
  'device.no-data' | 'device.offline' | 'device.battery-low' | 'device.sensor-off';

const PRIORITY: Record<TechnicalCondition, AlertPriority> = {
  'device.no-data': 'medium',
  'device.offline': 'medium',
  'device.sensor-off': 'medium',
  'device.battery-low': 'low',
};

/**
 * Technical alarms: a bound device that goes silent (checked every second, so it fires on time
 * without waiting for the device), goes offline, reports its sensor off, or runs low on battery.
 */
@Injectable()
export class DeviceWatchService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeviceWatchService.name);
  private readonly lastHeard = new Map<string, number>();
  private readonly raised = new Set<string>();
  private startedAt = Date.now();
  private ticker?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
    private readonly alerts: AlertsService,
    private readonly evaluator: ClinicalEvaluator,
    @Inject(DEVICE_WATCH_OPTIONS) private readonly options: DeviceWatchOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.startedAt = Date.now();
    for (const alert of this.alerts.openAlerts()) {
      if (alert.category === 'technical') this.raised.add(`${alert.deviceId}\u0000${alert.rule}`);
    }
    // Twice a second, so a silent device is reported within its timeout plus half a second.
    this.ticker = setInterval(() => this.checkSilence(Date.now()), 500);
  }

  onModuleDestroy(): void {
    // Shutting down disconnects every device; that is not an alarm.
    this.stopping = true;
    clearInterval(this.ticker);
  }

  /** A device put on a patient: her silence is counted from now, not from Vigil's start. */
  deviceBound(deviceId: string): void {
    this.lastHeard.set(deviceId, Date.now());
  }

  /** A device taken off its patient: nothing of it is watched any more (its alarms are withdrawn). */
  deviceUnbound(deviceId: string): void {
    this.lastHeard.delete(deviceId);
    for (const key of [...this.raised])
      if (key.startsWith(`${deviceId}\u0000`)) this.raised.delete(key);
  }

  /**
   * Whether the device's readings may be evaluated: not while it reports its sensor off (a probe
   * off the skin sends what it picks up from the air), until it reports the sensor on again.
   */
  readingsValid(deviceId: string): boolean {
    return !this.raised.has(`${deviceId}\u0000device.sensor-off`);
  }

  sampleArrived(deviceId: string, battery: number | undefined): void {
    this.lastHeard.set(deviceId, Date.now());
    this.set(deviceId, 'device.no-data', false, 0);
    if (battery !== undefined) {
      const low = isBatteryLow(battery, this.raised.has(`${deviceId}\u0000device.battery-low`));
      this.set(deviceId, 'device.battery-low', low, battery, BATTERY_LOW_BELOW);
    }
  }

  statusChanged(deviceId: string, status: 'online' | 'offline', sensor?: 'on' | 'off'): void {
    if (this.stopping) return;
    if (status === 'online') this.lastHeard.set(deviceId, Date.now());
    this.set(deviceId, 'device.offline', status === 'offline', 0);
    if (sensor) this.set(deviceId, 'device.sensor-off', sensor === 'off', 0);
  }

  private checkSilence(now: number): void {
    for (const deviceId of this.directory.boundDeviceIds()) {
      const heard = this.lastHeard.get(deviceId) ?? this.startedAt;
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

  /**
   * The device's readings stopped or came back: its open physiological alerts are marked as based
   * on stale data (or no longer), and once good data is back, pending breaches start their
   * sustain time again rather than fire on the first reading after the gap.
   */
  private dataStateChanged(deviceId: string, patientId: string): void {
    const stale =
      this.raised.has(`${deviceId}\u0000device.sensor-off`) ||
      this.raised.has(`${deviceId}\u0000device.no-data`);
    this.alerts
      .markDataStale(patientId, deviceId, stale)
      .catch((error: unknown) => this.logger.error(`alerts not marked: ${String(error)}`));
    if (!stale) this.evaluator.restartSustainTimers(patientId);
  }

  /** Raises or clears one technical condition, only on a change. */
  private set(
    deviceId: string,
    condition: TechnicalCondition,
    holds: boolean,
    value: number,
    threshold = 0,
  ): void {
    const key = `${deviceId}\u0000${condition}`;
    if (holds === this.raised.has(key)) return;
    const binding = this.directory.bindingOf(deviceId);
    if (!binding) return;
    const done = holds
      ? this.alerts.breach({
          patientId: binding.patientId,
          deviceId,
          category: 'technical',
          condition,
          vital: null,
          value,
          threshold,
          priority: PRIORITY[condition],
          worse: condition === 'device.battery-low' ? 'below' : 'above',
          ts: Date.now(),
        })
      : this.alerts.clear(binding.patientId, condition);
    if (holds) this.raised.add(key);
    else this.raised.delete(key);
    if (condition === 'device.sensor-off' || condition === 'device.no-data')
      this.dataStateChanged(deviceId, binding.patientId);
    done.catch((error: unknown) =>
      this.logger.error(`technical alarm not recorded: ${String(error)}`),
    );
  }
}
