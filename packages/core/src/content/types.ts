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
  readonly regions: readonly RegionDef[];
  readonly locationEditions: readonly LocationEditionDef[];
  readonly languages: readonly string[];
  readonly locales: LocaleResources;
}

/** A registry region. */
export interface RegionDef {
  readonly id: string;
  readonly formerName?: string;
  readonly global?: boolean;
  readonly domain: string;
  readonly privateDomain?: string;
  readonly deprecatedDomain?: string;
  readonly crnLocation: string;
  readonly available: string;
}

/** One edition of the rule that says where a region's events can be found. */
export interface LocationEditionDef {
  readonly id: string;
  readonly since: string;
  /** What regions missing from `locations` get: their own location, or nothing. */
  readonly others: 'same' | 'none';
  /** Region id → location name, as the edition stated it. */
  readonly locations: Readonly<Record<string, string>>;
}
