import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * Every message of a stream, read back with an ordered consumer: the event ids and subjects, in
 * stream order. Retried (a cluster that just lost a node may be electing leaders), with generous
 * time limits for a busy machine.
 */
export async function readStream(servers: string | string[], stream = 'REGTRAIL'): Promise<{ ids: string[]; subjects: string[]; messages: number }> {
  let last: unknown;
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      return await readOnce(servers, stream);
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw last;
}

async function readOnce(servers: string | string[], stream: string): Promise<{ ids: string[]; subjects: string[]; messages: number }> {
  const nc = await connect({ servers, noAsyncTraces: true, timeout: 20_000 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 20_000 });
    const info = await jsm.streams.info(stream);
    const total = info.state.messages;
    const ids: string[] = [];
    const subjects: string[] = [];
    if (total > 0) {
      const consumer = await jetstream(nc, { timeout: 20_000 }).consumers.get(stream);
      const deadline = Date.now() + 60_000;
      while (ids.length < total) {
        if (Date.now() > deadline) throw new Error(`read ${ids.length} of ${total} messages of ${stream} in 60 s`);
        const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
        for await (const m of batch) {
          ids.push(String((JSON.parse(new TextDecoder().decode(m.data)) as { id?: unknown }).id));
          subjects.push(m.subject);
        }
      }
    }
    return { ids, subjects, messages: total };
  } finally {
    await nc.close();
  }
}

/** The stream's message count, and the consumer's pending and unacknowledged counts when one is named. */
export async function streamState(servers: string | string[], stream = 'REGTRAIL', consumer?: string): Promise<{ messages: number; pending?: number; ackPending?: number }> {
  const nc = await connect({ servers, noAsyncTraces: true, timeout: 20_000 });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 20_000 });
    const info = await jsm.streams.info(stream).catch(() => undefined);
    const messages = info?.state.messages ?? 0;
    if (!consumer) return { messages };
    const c = await jsm.consumers.info(stream, consumer);
    return { messages, pending: c.num_pending, ackPending: c.num_ack_pending };
  } finally {
    await nc.close();
  }
}
