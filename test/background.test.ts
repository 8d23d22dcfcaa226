// Work after the answer: ordered per key, batched with `soon`, and yielding to requests in flight.
import { Background, FOREGROUND_FIRST_MAX_MS } from '../src/background';
import { silentLogger } from '../src/log';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Work that records when it starts and finishes only when told to. */
function gatedWork(log: string[], name: string): { work: () => Promise<void>; finish: () => void } {
  let finish = (): void => undefined;
  const done = new Promise<void>((r) => {
    finish = r;
  });
  return {
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    finish: () => {
      finish();
    },
  };
}

describe('background work', () => {
  it('runs one key in order and different keys side by side when no request is in flight', async () => {
    const bg = new Background(silentLogger);
    const log: string[] = [];
    const a1 = gatedWork(log, 'a1');
    const a2 = gatedWork(log, 'a2');
    const b = gatedWork(log, 'b');
    bg.run('a', 'a1', a1.work);
    bg.run('a', 'a2', a2.work);
    bg.run('b', 'b', b.work);
    await tick();
    expect(log).toEqual(['start a1', 'start b']);
    a1.finish();
    a2.finish();
    b.finish();
    await bg.drain();
    expect(log).toEqual(['start a1', 'start b', 'end a1', 'end b', 'start a2', 'end a2']);
  });

  it('while a request is in flight runs one piece at a time, and the rest once it is answered', async () => {
    const bg = new Background(silentLogger);
    const log: string[] = [];
    const answered = bg.request();
    const works = ['x', 'y', 'z'].map((k) => gatedWork(log, k));
    works.forEach((w, i) => {
      bg.run(`k${i}`, 'work', w.work);
    });
    await tick();
    expect(log).toEqual(['start x']);
    works[0]?.finish();
    await tick();
    expect(log).toEqual(['start x', 'end x', 'start y']);
    answered();
    await tick();
    expect(log).toEqual(['start x', 'end x', 'start y', 'start z']);
    works.forEach((w) => {
      w.finish();
    });
    await bg.drain();
  });

  it('never holds work back longer than the limit, however long requests keep coming', async () => {
    const bg = new Background(silentLogger);
    const log: string[] = [];
    bg.request(); // never answered
    const long = gatedWork(log, 'long');
    const next = gatedWork(log, 'next');
    bg.run('a', 'long', long.work);
    bg.run('b', 'next', next.work);
    await tick();
    expect(log).toEqual(['start long']);
    await tick(FOREGROUND_FIRST_MAX_MS + 50);
    expect(log).toEqual(['start long', 'start next']);
    long.finish();
    next.finish();
    await bg.drain();
  });

  it('lets a long job wait between its steps for the requests in flight, at most the limit', async () => {
    const bg = new Background(silentLogger);
    await bg.yieldToRequests(); // nothing in flight: at once
    const answered = bg.request();
    let resumed = false;
    const step = bg.yieldToRequests().then(() => {
      resumed = true;
    });
    await tick(20);
    expect(resumed).toBe(false);
    answered();
    await step;
    expect(resumed).toBe(true);
    // A request never answered holds the job back no longer than the limit.
    bg.request();
    const started = Date.now();
    await bg.yieldToRequests();
    expect(Date.now() - started).toBeGreaterThanOrEqual(FOREGROUND_FIRST_MAX_MS - 20);
  });

  it('gathers work asked for `soon` into one run, started at once by drain', async () => {
    const bg = new Background(silentLogger);
    let runs = 0;
    for (let i = 0; i < 5; i++)
      bg.soon('batch', 'batch', 60_000, () => {
        runs++;
        return Promise.resolve();
      });
    await bg.drain();
    expect(runs).toBe(1);
  });

  it('starts steady batches on time while requests are in flight, without taking the busy slot', async () => {
    const bg = new Background(silentLogger);
    const log: string[] = [];
    const answered = bg.request();
    const card = gatedWork(log, 'card');
    const other = gatedWork(log, 'other');
    const batch = gatedWork(log, 'batch');
    bg.run('card', 'card', card.work);
    bg.run('other', 'other', other.work);
    bg.soon('stats', 'batch', 10, batch.work, true);
    await tick(40);
    // The card took the one busy slot, the other waits for it; the steady batch started on time anyway.
    expect(log).toEqual(['start card', 'start batch']);
    batch.finish();
    await tick();
    expect(log).toEqual(['start card', 'start batch', 'end batch']);
    card.finish();
    await tick();
    expect(log).toEqual(['start card', 'start batch', 'end batch', 'end card', 'start other']);
    other.finish();
    answered();
    await bg.drain();
  });

  it("settled tells whether a key's queued work finished, failed, or is still running at the timeout", async () => {
    const bg = new Background(silentLogger);
    const log: string[] = [];
    expect(await bg.settled('none', 10)).toBe(true);
    const slow = gatedWork(log, 'slow');
    bg.run('k', 'slow work', slow.work);
    expect(await bg.settled('k', 20)).toBeUndefined();
    slow.finish();
    expect(await bg.settled('k', 1_000)).toBe(true);
    bg.run('k', 'failing work', () => Promise.reject(new Error('Teams said no')));
    expect(await bg.settled('k', 1_000)).toBe(false);
  });
});
