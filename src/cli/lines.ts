// Line-at-a-time stdin commands (`deadlines`, `suggest`): one JSON request per input line, one JSON answer
// per line, in order. Knows streams only; each command passes the function that answers one line.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Answers each input line with `answer(line)` plus a newline, in order; blank lines are skipped unless
 * `answerBlank` (then `answer` sees them too, so answers line up with input lines).
 * Streams: output is written in batches as input arrives, and reading pauses while output is backed up.
 */
export function answerEachLine(
  input: Readable,
  output: Writable,
  answer: (line: string) => string,
  answerBlank = false,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input, crlfDelay: Infinity });
    let pending: string[] = [];
    let scheduled = false;
    let draining = false;
    const flush = (): void => {
      scheduled = false;
      if (pending.length === 0) return;
      const text = pending.join('');
      pending = [];
      if (!output.write(text) && !draining) {
        draining = true;
        rl.pause();
        output.once('drain', () => {
          draining = false;
          rl.resume();
        });
      }
    };
    rl.on('line', (line) => {
      if (!answerBlank && line.trim() === '') return;
      pending.push(answer(line) + '\n');
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
    rl.on('close', () => {
      flush();
      resolve();
    });
    input.on('error', reject);
  });
}
