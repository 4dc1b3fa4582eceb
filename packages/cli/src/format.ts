import { describeAction, groupTitle, translator, type Action, type CatalogEntry, type Language } from '@regtrail/core/catalog';

/** The JSON shape `regtrail actions --json` and `regtrail show --json` print for one action. */
export interface ActionJson {
  id: string;
  description: string;
  group: string;
  groupTitle: string;
  dataEvent: boolean | 'unclassified';
  severity: string;
  targetTypeURI: string;
  since: string;
  deprecated: string | null;
  removed: string | null;
  status?: string;
  fields: { path: string; type: string; values: readonly string[] | null; label: string }[];
}

export function actionJson(a: CatalogEntry | Action, lng: Language): ActionJson {
  const t = translator(lng);
  return {
    id: a.id,
    description: describeAction(a.id, lng),
    group: a.group,
    groupTitle: groupTitle(a.group, lng),
    dataEvent: a.dataEvent,
    severity: a.severity,
    targetTypeURI: a.targetTypeURI,
    since: a.since,
    deprecated: a.deprecated ?? null,
    removed: a.removed ?? null,
    ...('status' in a ? { status: a.status } : {}),
    fields: a.fields.map((f) => ({ path: f.path, type: f.type, values: f.values ?? null, label: t(`fields:${f.path}`) })),
  };
}
