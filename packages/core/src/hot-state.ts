/**
 * Hot-path state: everything the library remembers between calls to make the per-event path
 * cheap, in one place. Each piece is bounded, and each bound is named and justified here.
 *
 * None of it changes a result. Every remembered value is a pure function of its key (an image
 * reference, a caller, an event time, a CRN…), so a miss costs time, never correctness, and the
 * memos start empty (no key equals `undefined`) so that the first call is checked like any other.
 *
 * Two kinds of state:
 * - one-entry memos ("the last value and its verdict"): the events of one burst share their event
 *   time, message, logSourceCRN and often their target, so the last verdict is reused; a map of
 *   verdicts by string would cost more than the checks when the strings are new (as in lint);
 * - bounded caches (BoundedCache), for what repeats over a longer span: the targets and callers
 *   of a composer, the keys of request data.
 *
 * Bounded by the catalog instead (a few entries per action or kind of target, whatever the
 * traffic): a composer's parts of each action and its endings (each ending with its last event
 * time, a one-entry memo), and its parts of each kind of target named by an id (exemptions,
 * registry tokens), kept only for kinds the catalog lists for an action (build.ts, NamedKind).
 */

/** The sizes of the bounded caches. */
export const BOUNDS = {
  /**
   * Resolved targets of one composer (images by reference, namespaces, exemptions), each with its
   * JSON pieces and messages: about 1 KB each, so 4 MB at most per emitter. A busy registry
   * frontend sees a few thousand images in an hour; the hot ones stay.
   */
  targets: 4096,
  /** Resolved callers of one composer (about 0.5 KB each): users and service ids of an account. */
  initiators: 4096,
  /** The IP version of caller addresses (a number each): one per client address. */
  ipVersions: 4096,
  /** Whether a key of request/response data names a secret (a boolean each): payloads repeat their keys. */
  secretKeys: 4096,
  /**
   * Ids of registry notification events already written (a string of about 40 bytes each, so
   * 3 MB at most): the registry retries an envelope until it gets a 2xx, so a retry of one that
   * was written in part must not write its events twice. Retries come within minutes; 65536 ids
   * cover far more than that.
   */
  notificationIds: 65536,
} as const;

/**
 * Buffers the HTTP sink and its spool reuse instead of allocating per event or per batch (so that
 * event bytes never fill V8's old generation). Each is bounded here.
 */
export const IO_BUFFERS = {
  /** The spool's write block: one per spool, lines of a group commit are encoded into it (1 MiB, or one longer line). */
  spoolBlock: 1024 * 1024,
  /** A block of queued lines of one ingestion URL (256 KiB, or one longer line); see Batcher. */
  lineBlock: 256 * 1024,
  /** Free line blocks kept for reuse per sink (16 × 256 KiB = 4 MiB); the rest go to the garbage collector. */
  freeLineBlocks: 16,
  // Request bodies: at most `concurrency` buffers of batch.maxBytes are kept per sink (BatchBodies).
} as const;

/**
 * A map of at most `limit` entries. When full, a new entry takes the place of one chosen at random
 * (a fixed-seed xorshift, so runs repeat). Unlike clearing everything, or evicting the least
 * recently used, random replacement is not defeated by a working set larger than the bound that
 * is visited in a cycle: a share of it (about limit / size) keeps hitting.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  /** The keys, by slot: the one to replace is chosen among them. */
  private readonly keys: K[] = [];
  private seed = 0x9e3779b9;
  /** Lookups that found their entry, and those that did not (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a cache limit must be a positive integer, not ${limit}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  set(key: K, value: V): void {
    const { map, keys } = this;
    if (map.has(key)) {
      map.set(key, value);
      return;
    }
    if (keys.length < this.limit) keys.push(key);
    else {
      let x = this.seed;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.seed = x >>> 0;
      const slot = this.seed % keys.length;
      map.delete(keys[slot]!);
      keys[slot] = key;
    }
    map.set(key, value);
  }
}

/**
 * The serializer's hand-off: the emitter composes each event's line while it builds the event,
 * and hands both to the sink for the synchronous part of the sink's write call (serialize.ts).
 * One slot: writes do not nest.
 */
export const handoff = { event: undefined as object | undefined, line: '' };

/**
 * The clock's last event time (time.ts): the events of one hundredth of a second share one
 * string, and the date and time are formatted once per second.
 */
export const clockMemo = { second: Number.NaN, prefix: '', hundredth: Number.NaN, time: '' };

/**
 * Random UUIDs made ahead (event/uuid.ts): one draw of the system's random generator and one
 * string per `size` ids, each id a 36-character slice of that string (crypto.randomUUID builds
 * each id by concatenation: about 600 bytes of garbage per event). Bounded: 2 KiB of entropy and
 * 4.5 KiB of text; a batch's string stays alive while any of its ids does.
 */
export const uuidBatch = { size: 128, entropy: Buffer.alloc(128 * 16), ascii: Buffer.alloc(128 * 36), text: '', taken: 128 };

/** The validator's last verdicts (validate.ts), one entry each. */
export const verdicts = {
  /** The last event time and what was wrong with it. */
  time: undefined as string | undefined,
  timeIssue: undefined as string | undefined,
  /** `YYYY-MM-DDTHH:mm:` of the last good event time: the events of a stream share their minute. */
  timeMinute: undefined as string | undefined,
  /** The last message, with what it was checked against, and the verdict. */
  message: { message: undefined as string | undefined, head: '', name: '', outcome: '', issue: undefined as string | undefined },
  /** The last value of each field a pattern rule checks (by JSON pointer), and its verdict. */
  patterns: new Map<string, [string | undefined, string | undefined]>(),
  /** Message heads for the last service display name other than the catalog's (an emitter's option). */
  otherHeads: undefined as { name: string; heads: Map<string, string> } | undefined,
};

/**
 * The last event the validator's generated common check passed, and its compact length
 * (src/generated/event-checks.ts, EventMeasure: the count of duplicate-keys.ts's length test),
 * summed while the event was checked: lint reads it right after validating the event instead of
 * walking the event again. One slot: it keeps one event alive until the next is checked.
 */
export const measured = { of: undefined as unknown, length: Number.NaN };

/** The one-entry memo of a pattern rule's field. */
export function patternMemo(pointer: string): [string | undefined, string | undefined] {
  let memo = verdicts.patterns.get(pointer);
  if (memo === undefined) verdicts.patterns.set(pointer, (memo = [undefined, undefined]));
  return memo;
}

/**
 * How many CRNs that matched their shape the generated whole-event check remembers for each CRN
 * field (an equal string is compared instead of matched again):
 * - a target's CRN: the last one. Events of one burst often share their target; a stream of many
 *   images seldom repeats one further back, and each string remembered costs a comparison on
 *   every event that matches none (most of them, with a fresh digest per push or pull).
 * - logSourceCRN (every other CRN field): four. There is one per region and account a stream
 *   covers, and a registry with several regions interleaves their events: one string would miss
 *   on every change of region.
 */
export const CRNS_REMEMBERED = { target: 1, other: 4 } as const;

/**
 * The generated whole-event check's last good values (src/generated/event-checks.ts, RuleHelpers):
 * the CRNs of each CRN field that matched its shape, CRNS_REMEMBERED of each, field after field in
 * the model's order (the generated check knows where each field's strings start), newest first.
 */
export const cleanMemo = { crn: [] as (string | undefined)[] };
