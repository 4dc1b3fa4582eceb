import type { RouteMapDef } from '../routes/types.js';
import type { FieldType } from './schema.js';

export type { FieldType };

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
  /** Default severity of a successful request: one of the event model's severities. */
  readonly severity: string;
  /** What the action acts on: kinds of the event model's `targetKind` (the first is the usual one). */
  readonly targets: readonly string[];
  readonly targetTypeURI: string;
  readonly since: string;
  readonly deprecated?: string;
  readonly removed?: string;
  readonly fields: readonly FieldDef[];
}

export interface ServiceDef {
  readonly id: string;
  readonly displayName: string;
  /**
   * Brand names, interpolated into locale strings as `{{name}}`: one name for every language,
   * or a language → name map (with the source language, en) for a product named differently
   * in some language.
   */
  readonly products: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
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

/** What loadContent returns: the content, and the event model (generated into a module of its own). */
export interface LoadedContent extends ContentData {
  readonly event: EventModelDef;
  /** content/catalog/routes.yaml, checked (generated into a module of its own). */
  readonly routes: RouteMapDef;
}

/** One field of the event model (content/catalog/event.yaml). */
export interface EventFieldDef {
  /** Dotted path, such as `initiator.host.address`. */
  readonly path: string;
  /** The last segment of the path: the field's JSON key. */
  readonly key: string;
  /** The path of the object that holds it; '' for a top-level field. */
  readonly parent: string;
  readonly type: 'string' | 'integer' | 'boolean' | 'object';
  readonly required: boolean;
  readonly nonEmpty: boolean;
  /** An object whose own fields are free (requestData, responseData). */
  readonly open: boolean;
  /** The name of the value set its values come from. */
  readonly values?: string;
  readonly const?: string | number | boolean;
  /** The name of the pattern it must match. */
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Whether no other field sits under it (leaves have descriptions). */
  readonly leaf: boolean;
}

/** A kind of caller. */
export interface InitiatorKindDef {
  readonly kind: string;
  readonly typeURI: string;
  /** The credential type it uses unless told otherwise. */
  readonly credential: string;
  /** IAM id prefixes that name this kind of caller. */
  readonly idPrefixes: readonly string[];
}

/** The event model, checked. */
export interface EventModelDef {
  /** Value sets by name; `initiatorTypeURI` is derived from `initiatorKinds`. */
  readonly values: Readonly<Record<string, readonly string[]>>;
  /** Patterns by name (regular expressions, anchored). */
  readonly patterns: Readonly<Record<string, string>>;
  readonly initiatorKinds: readonly InitiatorKindDef[];
  /** Severity by HTTP status code (as a string key). */
  readonly statusSeverity: Readonly<Record<string, string>>;
  /** Every field, in the order events are written. */
  readonly fields: readonly EventFieldDef[];
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
