/**
 * Reading one spool segment back: its whole lines, a torn tail (the unsynced end of a write cut
 * short by a crash: never acknowledged, so nothing is lost), and damage (anything else that is
 * not a whole line: a segment overwritten or cut in the middle, which loses acknowledged events).
 *
 * Sequence numbers within a segment are consecutive, so the events a damaged stretch held are
 * the numbers between the whole lines around it that are not done yet. Damage at the end is
 * bounded by what the acknowledgement file last recorded of the segment (its synced size and
 * last number); without that record, by the first number of the next segment, or else counted
 * as the lines it holds (at least that many).
 */

interface ScannedRecord {
  readonly seq: number;
  readonly json: string;
  /** Byte range of the line, newline included. */
  readonly start: number;
  readonly end: number;
}

interface Damage {
  /** Byte offset of the damaged stretch in the segment, and its length (0 when bytes are missing: a cut). */
  readonly offset: number;
  readonly bytes: number;
  /** Events lost: unacknowledged-by-delivery numbers the stretch held. */
  readonly lost: number;
  /** Whether `lost` is exact (bounded by numbers on both sides), or a lower bound (lines counted). */
  readonly exact: boolean;
}

export interface SegmentScan {
  readonly records: ScannedRecord[];
  /** Highest good sequence number; first - 1 when none. */
  readonly last: number;
  /** A torn last line (no newline) after everything recorded as synced, if any. */
  readonly torn: { readonly offset: number; readonly bytes: number } | undefined;
  readonly damage: Damage[];
}

export interface SegmentFacts {
  readonly first: number;
  /** What the acknowledgement file recorded: synced bytes and the last number then. */
  readonly recorded: { readonly bytes: number; readonly last: number } | undefined;
  /** First number of the next segment, if there is one. */
  readonly nextFirst: number | undefined;
  /** Whether a sequence number is done (delivered or dead-lettered): not lost even if damaged. */
  readonly isDone: (seq: number) => boolean;
}

/** Counting beyond this many numbers in one gap is not believable: a damaged number is more likely. */
const MAX_GAP = 1_000_000;

interface Line {
  readonly start: number;
  /** End of the content (the newline excluded). */
  readonly end: number;
  readonly terminated: boolean;
  readonly record: { seq: number; json: string } | undefined;
}

function parseLine(buf: Buffer, start: number, end: number): { seq: number; json: string } | undefined {
  const space = buf.indexOf(0x20, start);
  if (space <= start || space >= end) return undefined;
  const seqText = buf.toString('latin1', start, space);
  if (!/^\d{1,16}$/.test(seqText)) return undefined;
  const seq = Number(seqText);
  const json = buf.toString('utf8', space + 1, end);
  if (!json.startsWith('{') || !json.endsWith('}')) return undefined;
  try {
    JSON.parse(json);
  } catch {
    return undefined;
  }
  return { seq, json };
}

function notDone(from: number, to: number, isDone: (seq: number) => boolean): number {
  let n = 0;
  for (let s = from; s <= to; s++) if (!isDone(s)) n++;
  return n;
}

export function scanSegment(buf: Buffer, facts: SegmentFacts): SegmentScan {
  const lines: Line[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl < 0 ? buf.length : nl;
    if (end > pos) lines.push({ start: pos, end, terminated: nl >= 0, record: undefined });
    pos = nl < 0 ? buf.length : nl + 1;
  }
  // Whole lines, in increasing order of number.
  let previous = facts.first - 1;
  const parsed: Line[] = lines.map((line) => {
    const record = parseLine(buf, line.start, line.end);
    if (!record || record.seq <= previous) return line;
    previous = record.seq;
    return { ...line, record };
  });

  const records: ScannedRecord[] = [];
  const damage: Damage[] = [];
  let torn: SegmentScan['torn'];
  let lastGood = facts.first - 1;
  /** End (after its newline) of the last whole line. */
  let goodEnd = 0;
  let stretch: Line[] = [];
  const close = (nextSeq: number | undefined) => {
    if (!stretch.length) return;
    const offset = stretch[0]!.start;
    const end = stretch.at(-1)!.terminated ? stretch.at(-1)!.end + 1 : stretch.at(-1)!.end;
    const upper = nextSeq !== undefined ? nextSeq - 1 : undefined;
    const gap = upper !== undefined ? upper - lastGood : 0;
    const exact = upper !== undefined && gap <= MAX_GAP;
    damage.push({ offset, bytes: end - offset, lost: exact ? notDone(lastGood + 1, upper!, facts.isDone) : stretch.length, exact });
    stretch = [];
  };
  for (const line of parsed) {
    if (line.record) {
      close(line.record.seq);
      records.push({ seq: line.record.seq, json: line.record.json, start: line.start, end: line.terminated ? line.end + 1 : line.end });
      lastGood = line.record.seq;
      goodEnd = line.terminated ? line.end + 1 : line.end;
    } else {
      stretch.push(line);
    }
  }
  const recorded = facts.recorded;
  const cut = recorded !== undefined && buf.length < recorded.bytes;
  const tail = stretch;
  // The unsynced end of a crashed write: one line without a newline, after all that was synced.
  if (!cut && tail.length === 1 && !tail[0]!.terminated && (recorded === undefined || tail[0]!.start >= recorded.bytes)) {
    torn = { offset: tail[0]!.start, bytes: tail[0]!.end - tail[0]!.start };
    stretch = [];
  } else if (tail.length || cut) {
    const bound = recorded !== undefined && recorded.last > lastGood ? recorded.last + 1 : facts.nextFirst !== undefined && facts.nextFirst - 1 > lastGood ? facts.nextFirst : undefined;
    if (tail.length) {
      close(bound);
    } else if (bound !== undefined) {
      // Cut at a line boundary: no damaged bytes, but the lines after it are gone.
      const lost = bound - 1 - lastGood <= MAX_GAP ? notDone(lastGood + 1, bound - 1, facts.isDone) : 0;
      if (lost > 0) damage.push({ offset: goodEnd, bytes: 0, lost, exact: true });
    }
  }
  // A whole line may end without a newline only at the very end (never written so by the spool); keep it.
  return { records, last: lastGood, torn, damage };
}
