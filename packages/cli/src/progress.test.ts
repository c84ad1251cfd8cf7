import { Writable } from 'node:stream';
import { formatProgress, ProgressReporter } from './progress';
import { useColor } from './main';

const snapshot = { elapsedSeconds: 10, processed: 500, updated: 2, filtered: 1, warnings: 0, errors: 3 };

function fakeTty(): NodeJS.WriteStream & { text: string } {
  const stream = new Writable({
    write(chunk, _enc, done) {
      stream.text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: string };
  stream.text = '';
  stream.isTTY = true;
  stream.columns = 200;
  return stream;
}

describe('progress', () => {
  it('shows the rate, and a total and an ETA when the source knows the total', () => {
    expect(formatProgress(snapshot)).toBe('processed 500  50/s  updated 2  filtered 1  warnings 0  errors 3  elapsed 10s');
    expect(formatProgress({ ...snapshot, total: 2000 })).toBe('processed 500/2000 (25%)  50/s  ETA 30s  updated 2  filtered 1  warnings 0  errors 3  elapsed 10s');
    expect(formatProgress({ ...snapshot, elapsedSeconds: 0.5, processed: 1500, total: 100_000 })).toContain('3.0k/s  ETA 33s');
  });

  it('draws a live line on a terminal, coloured only when asked', () => {
    const plain = fakeTty();
    const live = new ProgressReporter({ stream: plain, live: true });
    expect(live.tickMs).toBe(1000);
    live.update({ ...snapshot, current: 'svc.db.s.t' });
    expect(plain.text).toBe('\r\x1b[2Kprocessed 500  50/s  updated 2  filtered 1  warnings 0  errors 3  elapsed 10s  svc.db.s.t');
    const colored = fakeTty();
    new ProgressReporter({ stream: colored, live: true, color: true }).update(snapshot);
    expect(colored.text).toContain('\x1b[31merrors 3\x1b[0m');
  });

  it('off a terminal logs a line every interval and skips the early final report', () => {
    const lines: string[] = [];
    const reporter = new ProgressReporter({ stream: fakeTty(), live: false, intervalSeconds: 30 });
    reporter.log = (l) => lines.push(l);
    expect(reporter.tickMs).toBe(30_000);
    reporter.update({ ...snapshot, elapsedSeconds: 30 });
    reporter.update({ ...snapshot, elapsedSeconds: 31 });
    reporter.update({ ...snapshot, elapsedSeconds: 60 });
    expect(lines).toEqual([
      'Progress: processed 500  17/s  updated 2  filtered 1  warnings 0  errors 3  elapsed 30s',
      'Progress: processed 500  8.3/s  updated 2  filtered 1  warnings 0  errors 3  elapsed 1m00s',
    ]);
  });

  it('uses colours on a terminal only, and never with NO_COLOR', () => {
    const saved = process.env.NO_COLOR;
    try {
      delete process.env.NO_COLOR;
      expect(useColor(fakeTty())).toBe(true);
      expect(useColor(Object.assign(fakeTty(), { isTTY: false }))).toBe(false);
      process.env.NO_COLOR = '1';
      expect(useColor(fakeTty())).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});
