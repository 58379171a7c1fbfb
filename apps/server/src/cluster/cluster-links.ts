import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DeviceRegistry } from '../registry/device-registry';
import { ClusterOwnership } from './cluster-ownership';
import {
  PeerLinkClient,
  listenForPeers,
  type PeerLinkServer,
  type PeerLinkServerOptions,
} from './peer-link';

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

  constructor(
    @Inject(CLUSTER_LINK_OPTIONS) private readonly options: ClusterLinkOptions,
    private readonly ownership: ClusterOwnership,
    private readonly devices: DeviceRegistry,
  ) {}

  /** undefined: here; a link: that node's; null: no node acts for the patient now. */
  routeOf(deviceId: string): PeerLinkClient | null | undefined {
    const patientId = this.devices.bindingOf(deviceId)?.patientId;
    if (patientId === undefined || this.ownership.owns(patientId)) return undefined;
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

  /** Serves the other nodes' links; `disconnect` closes a device's connection held here. */
  async listen(
    joined: PeerLinkServerOptions['joined'],
    disconnect: (deviceId: string) => void,
  ): Promise<void> {
    this.disconnect = disconnect;
    this.server = await listenForPeers({
      key: this.options.key,
      host: this.options.host,
      port: this.options.port,
      joined,
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
