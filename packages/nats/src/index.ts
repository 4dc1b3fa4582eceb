/**
 * @regtrail/nats: delivery of activity-tracking events through NATS JetStream. Producers write
 * to a JetStream sink (one subject per event location, the event id as message id); relays take
 * the events from a durable consumer and post them to the ingestion endpoints with the HTTP sink
 * of @regtrail/core, acknowledging each message only after a 2xx.
 */
export { createJetStreamSink, type JetStreamSink, type JetStreamSinkOptions, type JetStreamSinkStats, type NatsLogLevel } from './sink.js';
export { createRelay, type Relay, type RelayOptions, type RelayStats } from './relay.js';
export { STREAM_DEFAULTS, type StreamSpec } from './stream.js';
export { isNatsUrl, parseServers } from './servers.js';
