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
