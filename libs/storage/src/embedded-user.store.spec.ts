// Proves the embedded SQLite adapter meets the UserStore contract.
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedUserStore } from './embedded-user.store';
import { describeUserStoreContract } from './user-store.contract';

describeUserStoreContract('embedded (SQLite, in memory)', async () => {
  const db = openEmbeddedDatabase(':memory:');
  return {
    store: new EmbeddedUserStore(db),
    dispose: async () => {
      db.close();
    },
  };
});
