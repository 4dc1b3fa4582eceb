import type { content } from '../generated/content.js';
import type { ActionId } from '../catalog/catalog.js';
import type { AddressType, CredentialType, InitiatorKind, Outcome } from './types.js';

/**
 * What a caller tells the emitter about one request. Everything else in the event (time,
 * severity, message, CRNs, type URIs, data-event flag, ids) is derived.
 */

type CatalogAction = (typeof content.actions)[number];
type ServiceId = (typeof content)['service']['id'];

/** Actions that can be emitted: those the catalog classifies as data or management events. */
export type EmittableActionId = Extract<CatalogAction, { dataEvent: boolean }>['id'];
/** An action id without the service prefix, such as `image.push`. */
export type ShortActionId<Id extends string = EmittableActionId> = Id extends `${ServiceId}.${infer S}` ? S : never;
/** Either spelling of an emittable action id. */
export type EmitActionName = EmittableActionId | ShortActionId;
/** The full id for either spelling. */
export type FullActionId<A extends string> = A extends ActionId ? A : Extract<`${ServiceId}.${A}`, ActionId>;

type FieldsOf<Id extends string> = Extract<CatalogAction, { id: Id }>['fields'][number];
type FieldValue<F> = F extends { readonly values: readonly (infer V)[] }
  ? V
  : F extends { readonly type: 'string' }
    ? string
    : F extends { readonly type: 'number' | 'integer' }
      ? number
      : F extends { readonly type: 'boolean' }
        ? boolean
        : F extends { readonly type: 'array' }
          ? unknown[]
          : Record<string, unknown>;
type Nest<P extends string, V> = P extends `${infer Head}.${infer Rest}` ? { [K in Head]: Nest<Rest, V> } : { [K in P]: V };
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type DataFields<Id extends string, Root extends string> = UnionToIntersection<
  FieldsOf<Id> extends infer F ? (F extends { readonly path: `${Root}.${infer Rest}` } ? Nest<Rest, FieldValue<F>> : never) : never
>;
type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
type JsonObject = Record<string, unknown>;

/** `requestData` of an action, typed from the fields the catalog lists for it. */
export type RequestDataOf<Id extends string> = string extends Id ? JsonObject : unknown extends DataFields<Id, 'requestData'> ? JsonObject : DataFields<Id, 'requestData'> & JsonObject;
/** `responseData` of an action: the catalog's fields, each optional (a failed request may have none). */
export type ResponseDataOf<Id extends string> = string extends Id ? JsonObject : unknown extends DataFields<Id, 'responseData'> ? JsonObject : DeepPartial<DataFields<Id, 'responseData'>> & JsonObject;


export interface InitiatorInput {
  /** IAM id: `IBMid-…` (user), `iam-ServiceId-…` (service id), `CertificateId-…`. */
  id: string;
  /** Human name (e-mail, service id name); the id when absent. */
  name?: string;
  /** Inferred from the id's prefix when absent. */
  type?: InitiatorKind;
  /** Credential type; `token` for users and client ids, `apikey` for service ids, `certificate` for certificate ids by default. */
  credential?: CredentialType;
  /** Originating IP address; empty when an IBM service is the caller. */
  ip?: string;
  /** IPv4 or IPv6 is inferred from `ip`. */
  addressType?: AddressType;
  agent?: string;
  authnId?: string;
  authnName?: string;
}

/**
 * The resource acted on: one of the kinds the catalog lists for the action (`targets`). The
 * account itself when absent, for actions that can act on the account.
 */
export type TargetInput =
  | { type: 'account' }
  | { type: 'namespace'; name: string; resourceGroupId?: string }
  /** `digest` is the image's digest when the service knows it although the reference names a tag. */
  | { type: 'image'; reference: string; digest?: string; resourceGroupId?: string }
  | { type: 'exemption'; id: string; name?: string }
  | { type: 'resource'; resourceType: string; id: string; name?: string };

interface CommonInput<Id extends string> {
  initiator: InitiatorInput;
  target?: TargetInput;
  /** From `status` when absent (below 400: success). */
  outcome?: Outcome;
  /** HTTP status code; 200 for success, 202 for pending, 500 for failure by default. */
  status?: number;
  /** Status text of the code by default. */
  reasonType?: string;
  reasonForFailure?: string;
  responseData?: ResponseDataOf<Id>;
  correlationId?: string;
  /** When the request arrived (the event time); the emitter's clock by default. */
  time?: Date | number;
}

/** The input of `emit` for one action; `requestData` is required when the catalog lists request fields. */
export type EmitInput<Id extends string = EmittableActionId> = CommonInput<Id> &
  (string extends Id ? { requestData?: JsonObject } : unknown extends DataFields<Id, 'requestData'> ? { requestData?: JsonObject } : { requestData: RequestDataOf<Id> });
