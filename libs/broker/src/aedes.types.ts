// aedes 1.x is an ES module; this CommonJS build reaches it only through import() and its types.
export type AedesModule = typeof import('aedes', { with: { 'resolution-mode': 'import' } });
export type AedesBroker = InstanceType<AedesModule['Aedes']>;
export type AedesClient = Parameters<AedesBroker['authenticate']>[0];
export type AedesHooks = Pick<
  AedesBroker,
  'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'
>;

export function loadAedes(): Promise<AedesModule> {
  return import('aedes');
}
