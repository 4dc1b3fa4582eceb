import type { FieldType, Severity } from './schema.js';

export type { FieldType, Severity };

/** A request or response field an action's events carry. */
export interface FieldDef {
  /** Dotted path inside the event, such as `requestData.RequestParameters.name`. */
  readonly path: string;
  readonly type: FieldType;
  /** The only values allowed, when the catalog restricts them. */
  readonly values?: readonly string[];
}

/** One action of the catalog, with everything derived from its id filled in. */
export interface ActionDef {
  readonly id: string;
  readonly objectType: string;
  readonly verb: string;
  readonly group: string;
  /** `unclassified` for actions that were gone before the page carried the flag. */
  readonly dataEvent: boolean | 'unclassified';
  readonly severity: Severity;
  readonly targetTypeURI: string;
  readonly since: string;
  readonly deprecated?: string;
  readonly removed?: string;
  readonly fields: readonly FieldDef[];
}

export interface ServiceDef {
  readonly id: string;
  readonly displayName: string;
  /** Brand names, interpolated into locale strings as `{{name}}`. */
  readonly products: Readonly<Record<string, string>>;
}

/** i18next resources: language → namespace → nested keys. */
export type LocaleResources = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Everything under content/, validated. */
export interface ContentData {
  readonly service: ServiceDef;
  readonly groups: readonly { readonly id: string }[];
  readonly actions: readonly ActionDef[];
  readonly languages: readonly string[];
  readonly locales: LocaleResources;
}
