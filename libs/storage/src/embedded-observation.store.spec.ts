// Proves the embedded SQLite adapter meets the ObservationStore contract.
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedObservationStore } from './embedded-observation.store';
import { EmbeddedRegistryStore } from './embedded-registry.store';
import { describeObservationStoreContract } from './observation-store.contract';

describeObservationStoreContract('embedded (SQLite, in memory)', async () => {
  const db = openEmbeddedDatabase(':memory:');
  return {
    observations: new EmbeddedObservationStore(db),
    registry: new EmbeddedRegistryStore(db),
    dispose: async () => {
      db.close();
    },
  };
});
