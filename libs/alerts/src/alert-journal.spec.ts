// Proves the alert journal writes events in the order they happened, tries a failed write again
// with what came meanwhile (so a later state is never overwritten by an earlier one), and keeps
// no more than its bound waiting.
import type { Alert, AlertEvent } from '@vigil/contracts';
import { AlertJournal } from './alert-journal';

const event = (id: string, kind: AlertEvent['kind'] = 'raised'): AlertEvent => ({
  kind,
  at: new Date(0).toISOString(),
  alert: { id } as Alert,
});
const names = (events: readonly AlertEvent[]) => events.map((e) => `${e.alert.id}:${e.kind}`);

describe('AlertJournal', () => {
  function journalOn(failures: number, maxWaiting?: number) {
    const written: string[][] = [];
    const failed: number[] = [];
    const dropped: number[] = [];
    let toFail = failures;
    const journal = new AlertJournal({
      write: async (events) => {
        if (toFail-- > 0) throw new Error('database is locked');
        written.push(names(events));
      },
      failed: (_error, waiting) => failed.push(waiting),
      dropped: (count) => dropped.push(count),
      retryMs: 10,
      maxWaiting,
    });
    return { journal, written, failed, dropped };
  }

  it('writes in order, one batch at a time, and resolves each append once durable', async () => {
    const { journal, written } = journalOn(0);
    const first = journal.append([event('a')]);
    const second = journal.append([event('a', 'acknowledged'), event('b')]);
    await Promise.all([first, second]);
    expect(written.flat()).toEqual(['a:raised', 'a:acknowledged', 'b:raised']);
    expect(journal.backlog).toBe(0);
  });

  it('tries a failed write again, with what came meanwhile after it', async () => {
    const { journal, written, failed } = journalOn(2);
    let durable = false;
    const raised = journal.append([event('a')]).then(() => (durable = true));
    const acknowledged = journal.append([event('a', 'acknowledged')]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(durable).toBe(false);
    await Promise.all([raised, acknowledged]);
    expect(failed.length).toBe(2);
    expect(written).toEqual([['a:raised', 'a:acknowledged']]);
  });

  it('gives up the oldest events waiting when more than its bound wait', async () => {
    const { journal, written, dropped } = journalOn(1, 2);
    // `a` is being written (and fails) when `b` and `c` come: `b` is the oldest that waits.
    const first = journal.append([event('a')]);
    void journal.append([event('b')]);
    const last = journal.append([event('c')]);
    await Promise.all([first, last]);
    expect(dropped).toEqual([1]);
    expect(written.flat()).toEqual(['a:raised', 'c:raised']);
    expect(journal.backlog).toBe(0);
  });
});
