import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** Every message of a stream, read back with an ordered consumer: the event ids and subjects, in stream order. */
export async function readStream(servers: string | string[], stream = 'REGTRAIL'): Promise<{ ids: string[]; subjects: string[]; messages: number }> {
  const nc = await connect({ servers, noAsyncTraces: true });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const total = info.state.messages;
    const ids: string[] = [];
    const subjects: string[] = [];
    if (total > 0) {
      const consumer = await jetstream(nc).consumers.get(stream);
      const messages = await consumer.consume({ max_messages: 2000 });
      for await (const m of messages) {
        ids.push(String((JSON.parse(new TextDecoder().decode(m.data)) as { id?: unknown }).id));
        subjects.push(m.subject);
        if (m.info.pending === 0) break;
      }
    }
    return { ids, subjects, messages: total };
  } finally {
    await nc.close();
  }
}

/** The stream's message count, and the consumer's pending and unacknowledged counts when one is named. */
export async function streamState(servers: string | string[], stream = 'REGTRAIL', consumer?: string): Promise<{ messages: number; pending?: number; ackPending?: number }> {
  const nc = await connect({ servers, noAsyncTraces: true });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream).catch(() => undefined);
    const messages = info?.state.messages ?? 0;
    if (!consumer) return { messages };
    const c = await jsm.consumers.info(stream, consumer);
    return { messages, pending: c.num_pending, ackPending: c.num_ack_pending };
  } finally {
    await nc.close();
  }
}
