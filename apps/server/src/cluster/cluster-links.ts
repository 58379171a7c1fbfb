import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DeviceRegistry } from '../registry/device-registry';
import { ClusterOwnership } from './cluster-ownership';
import type { EdgeRequest, ForwardedRequest, ForwardedResponse } from '../workers/edge-messages';
import { PeerLinkClient, listenForPeers, type PeerHolder, type PeerLinkServer } from './peer-link';

/** Serves what another node's link asks of this one about its devices (EdgeFleet). */
export type PeerServing = (peer: PeerHolder) => {
  request: (request: EdgeRequest) => void;
  ended: () => void;
};

export const CLUSTER_LINK_OPTIONS = Symbol('ClusterLinkOptions');

export interface ClusterLinkOptions {
  /** The cluster's shared key: a node proves it knows it before its link is served. */
  readonly key: string;
  readonly host?: string;
  readonly port: number;
}

/**
 * Where what a device's connection here asks and sends must go: this node, when it acts for
 * the device's patient (or she has none); else the node that holds her partition, over a link to
 * it; or nowhere for now, while her partition is between owners.
 */
@Injectable()
export class ClusterLinks implements OnApplicationShutdown {
  private readonly logger = new Logger(ClusterLinks.name);
  private readonly clients = new Map<string, PeerLinkClient>();
  private server?: PeerLinkServer;
  /** The owner of a device's patient asks that its connection here be closed. */
  private disconnect: (deviceId: string) => void = () => undefined;
  /** Answers a request of the HTTP API another node passed here (set once the app is built). */
  private serveHttp?: (request: ForwardedRequest) => Promise<ForwardedResponse>;

  constructor(
    @Inject(CLUSTER_LINK_OPTIONS) private readonly options: ClusterLinkOptions,
    private readonly ownership: ClusterOwnership,
    private readonly devices: DeviceRegistry,
  ) {}

  /** undefined: here; a link: that node's; null: no node acts for the patient now. */
  routeOf(deviceId: string): PeerLinkClient | null | undefined {
    const patientId = this.devices.bindingOf(deviceId)?.patientId;
    return patientId === undefined ? undefined : this.ownerOf(patientId);
  }

  /** The link to the node that acts for the patient: undefined when this one does; null: none. */
  ownerOf(patientId: string): PeerLinkClient | null | undefined {
    if (this.ownership.owns(patientId)) return undefined;
    const address = this.ownership.holderOf(patientId)?.address;
    if (address === undefined) return null;
    let client = this.clients.get(address);
    if (!client) {
      client = new PeerLinkClient(address, this.ownership.node, this.options.key, (id) =>
        this.disconnect(id),
      );
      this.clients.set(address, client);
    }
    return client;
  }

  /** How requests of the HTTP API passed here by other nodes are answered. */
  serveHttpWith(serve: (request: ForwardedRequest) => Promise<ForwardedResponse>): void {
    this.serveHttp = serve;
  }

  /** Serves the other nodes' links; `disconnect` closes a device's connection held here. */
  async listen(serving: PeerServing, disconnect: (deviceId: string) => void): Promise<void> {
    this.disconnect = disconnect;
    this.server = await listenForPeers({
      key: this.options.key,
      host: this.options.host,
      port: this.options.port,
      joined: (peer) => {
        const served = serving(peer);
        return {
          ended: served.ended,
          request: (request) => {
            if (request.kind !== 'http') return served.request(request);
            const serve = this.serveHttp;
            if (!serve)
              return peer.answers.send({ ref: request.ref, failed: 'not serving HTTP yet' });
            serve(request).then(
              (response) => peer.answers.send({ ref: request.ref, response }),
              (error: unknown) => peer.answers.send({ ref: request.ref, failed: String(error) }),
            );
          },
        };
      },
    });
    this.logger.log(
      `node ${this.ownership.node} links with its peers on port ${this.options.port}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    for (const client of this.clients.values()) client.close();
    await this.server?.close();
  }
}
