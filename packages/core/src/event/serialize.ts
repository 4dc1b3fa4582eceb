import type { ActivityEvent } from './types.js';

/**
 * A stringifier that knows the shape of an ActivityEvent: the fixed fields are written by a
 * template, in a fixed order, and only the free-form `requestData` and `responseData` go through
 * JSON.stringify. Its output parses back to the same value JSON.stringify's would (key order is
 * the order of ActivityEvent); keys that ActivityEvent does not define are not written.
 */

// Characters a JSON string must escape, and lone surrogates (which well-formed JSON.stringify escapes).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON, exactly as JSON.stringify writes it; short strings without escapes are only quoted. */
export function jsonString(s: string): string {
  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s);
}

const str = jsonString;

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

// The emitter composes each event's line while it builds the event, and hands both to the sink
// for the duration of the (synchronous part of the) sink's write call.
let handoffEvent: ActivityEvent | undefined;
let handoffLine = '';

/** Runs `write` with `line` as the known serialization of `event`; for the emitter. */
export function withLine<T>(event: ActivityEvent, line: string, write: () => T): T {
  handoffEvent = event;
  handoffLine = line;
  try {
    return write();
  } finally {
    handoffEvent = undefined;
    handoffLine = '';
  }
}

/** One event as one line of JSON, without the newline. */
export function serializeEvent(e: ActivityEvent): string {
  if (e === handoffEvent) return handoffLine;
  const i = e.initiator;
  const h = i.host;
  const t = e.target;
  const r = e.reason;
  let out = `{"action":${str(e.action)},"initiator":{"id":${str(i.id)},"name":${str(i.name)},"typeURI":${str(i.typeURI)},"credential":{"type":${str(i.credential.type)}},"host":{"address":${str(h.address)}`;
  if (h.addressType !== undefined) out += `,"addressType":${str(h.addressType)}`;
  if (h.agent !== undefined) out += `,"agent":${str(h.agent)}`;
  out += '}';
  if (i.authnId !== undefined) out += `,"authnId":${str(i.authnId)}`;
  if (i.authnName !== undefined) out += `,"authnName":${str(i.authnName)}`;
  out += `},"target":{"id":${str(t.id)},"name":${str(t.name)},"typeURI":${str(t.typeURI)}`;
  if (t.resourceGroupId !== undefined) out += `,"resourceGroupId":${str(t.resourceGroupId)}`;
  if (t.host !== undefined) out += `,"host":{"address":${str(t.host.address)}}`;
  if (t.alias !== undefined) out += `,"alias":${str(t.alias)}`;
  out += `},"outcome":${str(e.outcome)},"reason":{"reasonCode":${num(r.reasonCode)}`;
  if (r.reasonType !== undefined) out += `,"reasonType":${str(r.reasonType)}`;
  if (r.reasonForFailure !== undefined) out += `,"reasonForFailure":${str(r.reasonForFailure)}`;
  out += `},"severity":${str(e.severity)},"eventTime":${str(e.eventTime)},"message":${str(e.message)},"logSourceCRN":${str(e.logSourceCRN)},"saveServiceCopy":${e.saveServiceCopy ? 'true' : 'false'},"observer":{"name":${str(e.observer.name)}},"dataEvent":${e.dataEvent ? 'true' : 'false'}`;
  if (e.requestData !== undefined) out += `,"requestData":${JSON.stringify(e.requestData)}`;
  if (e.responseData !== undefined) out += `,"responseData":${JSON.stringify(e.responseData)}`;
  if (e.id !== undefined) out += `,"id":${str(e.id)}`;
  if (e.correlationId !== undefined) out += `,"correlationId":${str(e.correlationId)}`;
  return `${out}}`;
}
