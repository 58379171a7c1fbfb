import type { TelemetryErrorCode, TelemetryRejection } from '@vigil/contracts';
import type { DeviceSample } from '@vigil/ingest';
import type { EventLoopWindow } from '../operations/event-loop-monitor';
import type { BatchedSender } from './batched-sender';

/**
 * What an edge worker asks of, or tells, the process that owns the patients (the primary). Each
 * `ref` is answered once, by an `EdgeAnswer` with the same `ref`.
 */
export type EdgeRequest =
  | {
      readonly kind: 'verify';
      readonly ref: number;
      readonly deviceId: string;
      readonly password?: string;
    }
  | { readonly kind: 'certificate'; readonly ref: number; readonly deviceId: string }
  | {
      readonly kind: 'readings';
      readonly ref: number;
      readonly deviceId: string;
      readonly readings: readonly DeviceSample[];
      /** When the edge received them: the sample allowance counts from there. */
      readonly receivedAt: number;
    }
  | {
      readonly kind: 'status';
      readonly ref: number;
      readonly deviceId: string;
      readonly text: string;
    }
  | { readonly kind: 'connected'; readonly deviceId: string }
  | { readonly kind: 'disconnected'; readonly deviceId: string }
  | { readonly kind: 'rejected'; readonly code: TelemetryErrorCode };

/** The requests that are answered. */
export type EdgeQuestion = Extract<EdgeRequest, { readonly ref: number }>;

/** A message as its sender writes it, before it is given its `ref`. */
export type WithoutRef<T> = T extends unknown ? Omit<T, 'ref'> : never;

export type EdgeAnswer =
  | { readonly ref: number; readonly accepted: boolean }
  | { readonly ref: number; readonly rejection?: TelemetryRejection }
  | { readonly ref: number; readonly failed: string }
  | { readonly ref: number; readonly response: ForwardedResponse };

/**
 * On a cluster, a request of the HTTP API about a patient another node acts for, passed to that
 * node over the peer link and answered by it (apps/server/src/cluster/owner-forwarding.ts).
 */
export interface ForwardedRequest {
  readonly kind: 'http';
  readonly ref: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Base64. */
  readonly body?: string;
}

export interface ForwardedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Base64. */
  readonly body: string;
}

/** Messages over the IPC channel, both ways; requests and answers travel in batches. */
export type EdgeToOwner =
  | { readonly kind: 'listening'; readonly port: number | null; readonly tlsPort: number | null }
  | { readonly kind: 'requests'; readonly requests: readonly EdgeRequest[] }
  /** The worker's own event loop over its last window, for /metrics. */
  | { readonly kind: 'load'; readonly window: EventLoopWindow };

export type OwnerToEdge =
  | { readonly kind: 'answers'; readonly answers: readonly EdgeAnswer[] }
  | { readonly kind: 'disconnect'; readonly deviceId: string }
  /** Close every connection and exit: Vigil is stopping. */
  | { readonly kind: 'stop' };

/**
 * Who holds a device's connection, as the owner of her patient sees it: an edge worker of this
 * node, or (on a cluster) another node's link. Answers go back to it in batches.
 */
export interface ConnectionHolder {
  readonly answers: BatchedSender<EdgeAnswer>;
  tell(message: OwnerToEdge): void;
}
