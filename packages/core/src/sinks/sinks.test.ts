import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmitter, fileSink, memorySink, RegtrailError, simulate, streamSink, type ActivityEvent, type EventSink } from '../index.js';
import { ACCEPTED } from '../entry/emit.js';
import { mountSmallDisk } from '../../test/small-disk.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'regtrail-sink-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function emitMany(sink: EventSink, n: number): Promise<ActivityEvent[]> {
  let i = 0;
  const emitter = createEmitter({ accountId: 'acct', region: 'us-south', sink, clock: () => Date.UTC(2025, 0, 1), newId: () => `event-${++i}` });
  const out: ActivityEvent[] = [];
  for (let k = 0; k < n; k++) {
    out.push(await emitter.emit('image.pull', { initiator: { id: 'IBMid-1', ip: '203.0.113.7' }, target: { type: 'image', reference: `us.icr.io/ns/app:${k}` }, requestData: { n: k, note: 'ü'.repeat(k % 7) } }));
  }
  return out;
}

const readLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ActivityEvent);

describe('file sink', () => {
  it('has every event written before close on disk, in order', async () => {
    const file = path.join(tmp(), 'nested', 'events.ndjson');
    const sink = fileSink(file);
    const events = await emitMany(sink, 2500);
    await sink.close();
    expect(readLines(file)).toEqual(events);
    await expect(sink.write(events[0]!)).rejects.toThrow(/closed/);
  });

  it('returns ACCEPTED for a write it took at once, and emit then resolves to the event without waiting on a reaction', async () => {
    const file = path.join(tmp(), 'events.ndjson');
    const sink = fileSink(file);
    const returned: Promise<void>[] = [];
    const spy: EventSink = { write: (e) => (returned.push(sink.write(e)), returned.at(-1)!), flush: () => sink.flush(), close: () => sink.close() };
    const emitter = createEmitter({ accountId: 'acct', region: 'us-south', sink: spy, clock: () => Date.UTC(2025, 0, 1) });
    const emitted = emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1' } });
    expect(returned).toEqual([ACCEPTED]);
    // Settled at once: it resolves before a promise queued after it.
    const order: string[] = [];
    await Promise.all([emitted.then(() => order.push('emit')), Promise.resolve().then(() => order.push('later'))]);
    expect(order).toEqual(['emit', 'later']);
    expect((await emitted).target.name).toBe('us.icr.io/ns/app:1');
    await emitter.close();
    expect(readLines(file)).toEqual([await emitted]);
    // A write after close is a rejection, never ACCEPTED.
    const late = sink.write(await emitted);
    expect(late).not.toBe(ACCEPTED);
    await expect(late).rejects.toThrow(/closed/);
  });

  it('flush puts everything on disk without closing', async () => {
    const file = path.join(tmp(), 'events.ndjson');
    const sink = fileSink({ path: file, bufferSize: 1 << 20 });
    const events = await emitMany(sink, 10);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    await sink.flush();
    expect(readLines(file)).toEqual(events);
    await sink.close();
  });

  it('appends to an existing file', async () => {
    const file = path.join(tmp(), 'events.ndjson');
    fs.writeFileSync(file, '{"old":true}\n');
    const sink = fileSink(file);
    await emitMany(sink, 3);
    await sink.close();
    expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(5);
  });

  it('rotates by size, keeps maxFiles, never splits an event, keeps order across files', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.ndjson');
    const sink = fileSink({ path: file, maxBytes: 4096, maxFiles: 500, bufferSize: 1000 });
    const events = await emitMany(sink, 300);
    await sink.close();
    const rotated = fs.readdirSync(dir).filter((f) => f.startsWith('events.ndjson.')).map((f) => Number(f.split('.').pop())).sort((a, b) => b - a);
    expect(rotated.length).toBeGreaterThan(5);
    expect(rotated).toEqual(Array.from({ length: rotated.length }, (_, i) => rotated.length - i));
    const files = [...rotated.map((n) => `${file}.${n}`), file];
    for (const f of files) expect(fs.statSync(f).size).toBeLessThanOrEqual(4096);
    expect(files.flatMap(readLines)).toEqual(events);
  });

  it('deletes the oldest file beyond maxFiles', async () => {
    const dir = tmp();
    const file = path.join(dir, 'events.ndjson');
    const sink = fileSink({ path: file, maxBytes: 2048, maxFiles: 2 });
    const events = await emitMany(sink, 100);
    await sink.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['events.ndjson', 'events.ndjson.1', 'events.ndjson.2']);
    const kept = [`${file}.2`, `${file}.1`, file].flatMap(readLines);
    expect(kept).toEqual(events.slice(events.length - kept.length));
  });

  it('says which file it cannot open', () => {
    const blocker = path.join(tmp(), 'file');
    fs.writeFileSync(blocker, '');
    expect(() => fileSink(path.join(blocker, 'events.ndjson'))).toThrow(/cannot open .*events.ndjson for writing/);
  });
});

describe('stream and memory sinks', () => {
  it('stream sink writes NDJSON and waits on flush', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const sink = streamSink(stream, { bufferSize: 500, end: true });
    const events = await emitMany(sink, 50);
    await sink.close();
    expect(Buffer.concat(chunks).toString().trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(events);
  });

  it('memory sink keeps events and lines', async () => {
    const sink = memorySink();
    const events = await emitMany(sink, 3);
    expect(sink.events).toEqual(events);
    expect(sink.lines().map((l) => JSON.parse(l))).toEqual(events);
    await sink.close();
    expect(sink.closed).toBe(true);
    await expect(sink.write(events[0]!)).rejects.toThrow(/closed/);
  });
});

describe('file sink on a full disk', () => {
  const disk = mountSmallDisk(256 * 1024);
  if (!disk) console.warn('file sink disk-full test skipped: cannot mount a tmpfs here (needs root)');
  afterEach(() => disk?.free());

  it.runIf(disk !== undefined)('loses no event and glues no line: a failed write is cut back to whole lines and retried once there is room', async () => {
    const file = path.join(disk!.dir, 'events.ndjson');
    const sink = fileSink({ path: file, bufferSize: 4096 });
    let i = 0;
    const emitter = createEmitter({ accountId: 'acct', region: 'us-south', sink, clock: () => Date.UTC(2025, 0, 1), newId: () => `e-${++i}`, validate: false });
    const emit = (k: number) => emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: `us.icr.io/ns/app:${k}` } });
    const accepted: string[] = [];
    for (let k = 0; k < 20; k++) accepted.push((await emit(k)).id!);
    await sink.flush();
    disk!.fill();
    // Writes gather in memory, then fail when a block cannot be written: each failure is an error
    // that names the file and the reason, and the event it was for is not accepted.
    let failure: unknown;
    for (let k = 20; k < 400 && failure === undefined; k++) {
      try {
        accepted.push((await emit(k)).id!);
      } catch (err) {
        failure = err;
      }
    }
    expect(String((failure as Error)?.message)).toMatch(new RegExp(`cannot write to .*events\\.ndjson: .*ENOSPC`));
    await expect(sink.flush()).rejects.toThrow(/ENOSPC/);
    disk!.free();
    accepted.push((await emit(1000)).id!);
    await sink.close();
    const ids = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as ActivityEvent).id);
    expect(ids).toEqual(accepted);
  });

  it.runIf(disk !== undefined)('unmounts', () => {
    disk!.unmount();
  });
});

describe('a custom sink that breaks the contract', () => {
  // `write` must return a promise (EventSink); one written in plain JavaScript may return nothing.
  const broken = (write: () => unknown): EventSink => ({ write: write as EventSink['write'], flush: async () => {}, close: async () => {} });
  const cases: [string, () => unknown, RegExp][] = [
    ['nothing', () => undefined, /returned undefined/],
    ['a boolean', () => true, /returned true/],
    ['a number', () => 1, /returned 1/],
    ['an object without then', () => ({}), /returned an object/],
  ];
  it.each(cases)('whose write returns %s: the emitter rejects with BAD_SINK, naming the contract', async (_name, write, shown) => {
    const emitter = createEmitter({ accountId: 'acct', region: 'us-south', sink: broken(write) });
    const err = await emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RegtrailError);
    expect(err).toMatchObject({ code: 'BAD_SINK' });
    expect((err as Error).message).toMatch(shown);
    expect((err as Error).message).toMatch(/sink\.write must return a promise/);
  });

  it('whose write returns nothing: simulate rejects with BAD_SINK too', async () => {
    await expect(simulate({ count: 3, sink: broken(() => undefined) })).rejects.toMatchObject({ code: 'BAD_SINK' });
  });

  it('whose write throws: the error is the sink’s own, as a rejection', async () => {
    const emitter = createEmitter({ accountId: 'acct', region: 'us-south', sink: broken(() => { throw new Error('boom'); }) });
    await expect(emitter.emit('image.pull', { initiator: { id: 'IBMid-1' }, target: { type: 'image', reference: 'us.icr.io/ns/app:1' } })).rejects.toThrow('boom');
  });
});
