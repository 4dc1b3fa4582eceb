import { createEmitter, serializeEvent, type ActivityEvent, type EventSink } from '@regtrail/core';

/**
 * A sink is anything with write, flush and close. This one keeps the NDJSON lines in memory and
 * counts failed requests; a real one would send them somewhere.
 */
class CountingSink implements EventSink {
  readonly lines: string[] = [];
  failures = 0;
  private closed = false;

  async write(event: ActivityEvent): Promise<void> {
    if (this.closed) throw new Error('the sink is closed');
    // The line the emitter already composed for this event, at no cost (call it inside write).
    this.lines.push(serializeEvent(event));
    if (event.outcome === 'failure') this.failures++;
  }

  async flush(): Promise<void> {
    // Nothing is buffered: every accepted event is already where it goes.
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}

const sink = new CountingSink();
const emitter = createEmitter({ accountId: 'a1b2c3', region: 'eu-de', sink });
for (const status of [200, 404, 200]) {
  await emitter.emit('image.pull', {
    initiator: { id: 'IBMid-310000ABCD', name: 'dev@example.com', ip: '198.51.100.4' },
    target: { type: 'image', reference: 'de.icr.io/team-a/app:1.4' },
    status,
  });
}
await emitter.close();

console.log(`${sink.lines.length} events, ${sink.failures} failed`);
console.log(sink.lines.map((line) => JSON.parse(line).reason.reasonCode).join(' '));
