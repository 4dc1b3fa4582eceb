/** The route map (content/catalog/routes.yaml), checked: what the generated module holds. */

/** Where a value of the request comes from. */
export type RouteSource =
  | { readonly from: 'path' | 'query' | 'header'; readonly key: string }
  /** A key of a JSON object body, or (without key) the whole JSON body. */
  | { readonly from: 'body'; readonly key?: string }
  | { readonly from: 'const'; readonly value: string };

/** How the target of the event is found. */
export type RouteTarget =
  | { readonly kind: 'account' }
  /** A namespace; the account when the source is absent from the request. */
  | { readonly kind: 'namespace'; readonly name: RouteSource }
  /** A whole image reference (us.icr.io/ns/repo:tag). */
  | { readonly kind: 'image'; readonly reference: RouteSource }
  /** An image of this registry by repository path and tag or digest. */
  | { readonly kind: 'repository'; readonly repository: RouteSource; readonly reference: RouteSource }
  /** An exemption whose id is the parts joined with '/'. */
  | { readonly kind: 'exemption'; readonly parts: readonly RouteSource[] };

export interface RouteDef {
  readonly method: string;
  /** The path template, such as `/v2/{name:repository}/manifests/{reference:reference}`. */
  readonly path: string;
  /** The full action id, or null for a request that generates no event. */
  readonly action: string | null;
  /** Whether the mapping is our reading rather than a published statement. */
  readonly inferred: boolean;
  readonly note?: string;
  /** Absent when action is null. */
  readonly target?: RouteTarget;
  /** requestData.RequestParameters of the event: field name → source. */
  readonly request: Readonly<Record<string, RouteSource>>;
}

/** routes.yaml, checked. */
export interface RouteMapDef {
  readonly routes: readonly RouteDef[];
  /** Current actions no API call generates, with the reason. */
  readonly unrouted: readonly { readonly action: string; readonly reason: string }[];
}
