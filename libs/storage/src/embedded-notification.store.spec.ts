// Proves the embedded SQLite adapter meets the NotificationStore contract.
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedNotificationStore } from './embedded-notification.store';
import { describeNotificationStoreContract } from './notification-store.contract';

describeNotificationStoreContract('embedded (SQLite, in memory)', async () => {
  const db = openEmbeddedDatabase(':memory:');
  return {
    store: new EmbeddedNotificationStore(db),
    dispose: async () => {
      db.close();
    },
  };
});
