/**
 * Verdicts on strings that recur from event to event (CRNs, messages), remembered by the string
 * up to a bound and forgotten all at once when it is reached. A string that the emitter keeps and
 * reuses hashes once, so that looking it up again costs less than checking it again.
 */
export class Verdicts<V> {
  private readonly known = new Map<string, V>();

  constructor(private readonly limit = 4096) {}

  get(key: string): V | undefined {
    return this.known.get(key);
  }

  set(key: string, verdict: V): void {
    if (this.known.size >= this.limit) this.known.clear();
    this.known.set(key, verdict);
  }
}
