import { Public } from '../auth/access.decorators';
import { Controller, Get, Header, Optional } from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import { DeviceConnections } from '@vigil/broker';
import { IngestService } from '@vigil/ingest';
import { EhrCharting } from '../hl7/ehr-charting.service';
import { NotificationQueue } from '../notifications/notification-queue.service';
import { WebhookDelivery } from '../notifications/webhook-delivery.service';
import { EventLoopMonitor } from './event-loop-monitor';

/** Prometheus text exposition (prometheus.io/docs/instrumenting/exposition_formats). */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly alerts: AlertsService,
    private readonly broker: DeviceConnections,
    private readonly eventLoop: EventLoopMonitor,
    private readonly notificationQueue: NotificationQueue,
    private readonly webhooks: WebhookDelivery,
    @Optional() private readonly charting?: EhrCharting,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): string {
    const { accepted, attributedToEarlierPatient, heldWhileSensorOff, duplicates, rejected } =
      this.ingest.counters;
    const lines = [
      '# HELP vigil_samples_accepted_total Samples validated and stored.',
      '# TYPE vigil_samples_accepted_total counter',
      `vigil_samples_accepted_total ${accepted}`,
      '# HELP vigil_samples_earlier_wearer_total Accepted samples measured before their device was moved, stored for the patient who wore it then.',
      '# TYPE vigil_samples_earlier_wearer_total counter',
      `vigil_samples_earlier_wearer_total ${attributedToEarlierPatient}`,
      '# HELP vigil_samples_sensor_off_total Accepted samples stored and not evaluated: their device reported its sensor off.',
      '# TYPE vigil_samples_sensor_off_total counter',
      `vigil_samples_sensor_off_total ${heldWhileSensorOff}`,
      '# HELP vigil_samples_duplicate_total Samples received again and not re-evaluated.',
      '# TYPE vigil_samples_duplicate_total counter',
      `vigil_samples_duplicate_total ${duplicates}`,
      '# HELP vigil_messages_rejected_total Device messages refused, by reason code.',
      '# TYPE vigil_messages_rejected_total counter',
      ...Object.entries(rejected).map(
        ([code, count]) => `vigil_messages_rejected_total{code="${code}"} ${count}`,
      ),
      '# HELP vigil_alerts_open Alerts open (active, acknowledged or latched).',
      '# TYPE vigil_alerts_open gauge',
      `vigil_alerts_open ${this.alerts.openAlerts().length}`,
      '# HELP vigil_alert_events_unwritten Alert events announced and not yet durable (the database does not commit).',
      '# TYPE vigil_alert_events_unwritten gauge',
      `vigil_alert_events_unwritten ${this.alerts.unwrittenEvents}`,
      '# HELP vigil_devices_connected MQTT clients connected.',
      '# TYPE vigil_devices_connected gauge',
      `vigil_devices_connected ${this.broker.connectedDevices}`,
      '# HELP vigil_notifications_delivered_total Alert events a notification target took (2xx).',
      '# TYPE vigil_notifications_delivered_total counter',
      `vigil_notifications_delivered_total ${this.webhooks.counters.delivered}`,
      '# HELP vigil_notification_attempts_failed_total Deliveries to a notification target that failed and were retried.',
      '# TYPE vigil_notification_attempts_failed_total counter',
      `vigil_notification_attempts_failed_total ${this.webhooks.counters.failedAttempts}`,
      "# HELP vigil_notifications_dropped_total Alert events not queued: the target's queue was full.",
      '# TYPE vigil_notifications_dropped_total counter',
      `vigil_notifications_dropped_total ${[...this.notificationQueue.dropped.values()].reduce((sum, n) => sum + n, 0)}`,
      '# HELP vigil_event_loop_utilization Share of the last 10 s the main thread (every device socket) was busy.',
      '# TYPE vigil_event_loop_utilization gauge',
      `vigil_event_loop_utilization ${this.eventLoop.last.utilization.toFixed(3)}`,
      '# HELP vigil_event_loop_delay_p99_seconds 99th percentile event-loop delay over the last 10 s.',
      '# TYPE vigil_event_loop_delay_p99_seconds gauge',
      `vigil_event_loop_delay_p99_seconds ${this.eventLoop.last.delayP99Seconds.toFixed(4)}`,
      '# HELP vigil_gc_pause_seconds_total Time the main thread was paused for garbage collection.',
      '# TYPE vigil_gc_pause_seconds_total counter',
      `vigil_gc_pause_seconds_total ${this.eventLoop.gcPauseTotalSeconds.toFixed(3)}`,
      '# HELP vigil_gc_pause_max_seconds Longest garbage-collection pause over the last 10 s.',
      '# TYPE vigil_gc_pause_max_seconds gauge',
      `vigil_gc_pause_max_seconds ${this.eventLoop.last.gcPauseMaxSeconds.toFixed(4)}`,
      ...this.edgeWorkerLines(),
      ...this.chartingLines(),
    ];
    return `${lines.join('\n')}\n`;
  }

  /** With HL7_OUT_HOST: how charting to the EHR is getting on. */
  private chartingLines(): string[] {
    if (!this.charting) return [];
    const { acknowledged, refused, failedAttempts, outboxDepth } = this.charting.counters;
    return [
      '# HELP vigil_hl7_out_acknowledged_total PCD-01 messages the EHR acknowledged (AA).',
      '# TYPE vigil_hl7_out_acknowledged_total counter',
      `vigil_hl7_out_acknowledged_total ${acknowledged}`,
      '# HELP vigil_hl7_out_attempts_failed_total Sends answered AE or AR, timed out, or not reached; each is tried again.',
      '# TYPE vigil_hl7_out_attempts_failed_total counter',
      `vigil_hl7_out_attempts_failed_total ${refused + failedAttempts}`,
      '# HELP vigil_hl7_out_outbox_depth Messages waiting for the EHR, at the last charting tick.',
      '# TYPE vigil_hl7_out_outbox_depth gauge',
      `vigil_hl7_out_outbox_depth ${outboxDepth}`,
    ];
  }

  private edgeWorkerLines(): string[] {
    const workers = this.broker.edgeWorkers();
    if (!workers) return [];
    return [
      "# HELP vigil_edge_workers_listening Edge worker processes holding devices' connections now.",
      '# TYPE vigil_edge_workers_listening gauge',
      `vigil_edge_workers_listening ${workers.listening}`,
      '# HELP vigil_edge_workers_replaced_total Edge workers that ended unasked and were started again.',
      '# TYPE vigil_edge_workers_replaced_total counter',
      `vigil_edge_workers_replaced_total ${workers.replaced}`,
      "# HELP vigil_edge_worker_event_loop_utilization Share of an edge worker's last 10 s its event loop (its devices' sockets) was busy.",
      '# TYPE vigil_edge_worker_event_loop_utilization gauge',
      ...workers.loads.map(
        ({ worker, utilization }) =>
          `vigil_edge_worker_event_loop_utilization{worker="${worker}"} ${utilization.toFixed(3)}`,
      ),
      "# HELP vigil_edge_worker_event_loop_delay_p99_seconds 99th percentile of an edge worker's event-loop delay over its last 10 s.",
      '# TYPE vigil_edge_worker_event_loop_delay_p99_seconds gauge',
      ...workers.loads.map(
        ({ worker, delayP99Seconds }) =>
          `vigil_edge_worker_event_loop_delay_p99_seconds{worker="${worker}"} ${delayP99Seconds.toFixed(4)}`,
      ),
    ];
  }
}
