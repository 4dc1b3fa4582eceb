/**
 * The same string, made flat in place. V8 keeps a concatenation as a tree of its pieces and copies
 * the pieces out when the string is first read whole; a tree that is itself a piece of a later
 * concatenation is walked again, piece by piece, every time. Strings the composer keeps and
 * reuses for every event are flattened once here, so that writing them costs one copy.
 */
export function flat(s: string): string {
  // Reading a character flattens a concatenated string in place (and is free for a flat one).
  s.charCodeAt(0);
  return s;
}
