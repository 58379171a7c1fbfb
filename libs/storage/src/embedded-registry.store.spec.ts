// Proves the embedded SQLite adapter meets the RegistryStore contract.
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedRegistryStore } from './embedded-registry.store';
import { describeRegistryStoreContract } from './registry-store.contract';

describeRegistryStoreContract('embedded (SQLite, in memory)', async () => {
  const db = openEmbeddedDatabase(':memory:');
  return {
    store: new EmbeddedRegistryStore(db),
    dispose: async () => {
      db.close();
    },
  };
});
