import { allActions, editions, listActions, type Action, type CatalogEntry } from '@regtrail/core';

/** One date on which the catalog changed: what changed, and the events table as it stood then. */
export interface Edition {
  readonly date: string;
  readonly added: readonly Action[];
  readonly deprecated: readonly Action[];
  readonly removed: readonly Action[];
  readonly table: readonly CatalogEntry[];
}

/** Every edition of the catalog, oldest first. */
export function catalogHistory(): Edition[] {
  const actions = allActions();
  return editions().map((date) => ({
    date,
    added: actions.filter((a) => a.since === date),
    deprecated: actions.filter((a) => a.deprecated === date),
    removed: actions.filter((a) => a.removed === date),
    table: listActions({ asOf: date }),
  }));
}
