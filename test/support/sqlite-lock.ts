import { spawn } from 'node:child_process';

/**
 * Another process holding the embedded database's write lock (`BEGIN IMMEDIATE`), as an
 * operator's SQLite shell or a backup tool can: to Vigil, a database that does not commit. Debian's
 * python3 and its sqlite3 module hold it; `release()` rolls back and ends the process.
 */
export async function holdWriteLock(file: string): Promise<{ release(): Promise<void> }> {
  const script = [
    'import sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1], isolation_level=None)',
    "db.execute('BEGIN IMMEDIATE')",
    "print('locked', flush=True)",
    'sys.stdin.readline()',
    "db.execute('ROLLBACK')",
  ].join('\n');
  const holder = spawn('/usr/bin/python3', ['-c', script, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking`)));
  });
  return {
    async release() {
      holder.stdin.end('\n');
      await exited;
    },
  };
}
