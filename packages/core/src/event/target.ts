import { RegtrailError } from '../errors.js';
import { checkDigest, parseImageReference } from '../regions/image-reference.js';
import type { Region } from '../regions/regions.js';
import { accountScope, CRN_SERVICE, formatCrn } from './crn.js';
import type { TargetInput } from './input.js';

export interface ResolvedTarget {
  /** `account`, or the resource type of the CRN: the kind of target, as the catalog lists them for each action. */
  kind: string;
  id: string;
  name: string;
  resourceGroupId?: string;
}

const nonEmpty = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value.trim() === '') throw new RegtrailError('BAD_TARGET', `${what} must be a non-empty string`);
  return value;
};

/** A target's own name, when given: a string (the validator says whether it is a good one). */
const givenName = (value: unknown, what: string): string | undefined => {
  if (value !== undefined && typeof value !== 'string') throw new RegtrailError('BAD_TARGET', `${what} must be a string`);
  return value;
};

/**
 * `target.id` (a CRN in the resource's region, account scope) and `target.name` of a resource.
 * An image lives in the region of its registry domain; every other resource in `region`.
 * Images: the name carries the tag, or the digest when the reference names one (a reference with
 * neither means `latest`, as for docker); the id carries the digest when it is known, else the tag.
 */
export function resolveTarget(target: TargetInput | undefined, accountId: string, region: Region): ResolvedTarget {
  const crn = (location: string, resourceType = '', resource = '') =>
    formatCrn({ serviceName: CRN_SERVICE, location, scope: accountScope(accountId), resourceType, resource });
  const t = target ?? { type: 'account' as const };
  switch (t.type) {
    case 'account':
      return { kind: 'account', id: crn(region.crnLocation), name: `account-${accountId}` };
    case 'namespace': {
      const name = nonEmpty(t.name, 'namespace name');
      if (!/^[a-z0-9]+(?:[._-]+[a-z0-9]+)*$/.test(name)) {
        throw new RegtrailError('BAD_TARGET', `invalid namespace ${JSON.stringify(name)}: lower-case letters, digits, '-' and '_' only, starting and ending with a letter or digit`);
      }
      return { kind: 'namespace', id: crn(region.crnLocation, 'namespace', name), name, ...(t.resourceGroupId ? { resourceGroupId: t.resourceGroupId } : {}) };
    }
    case 'image': {
      const ref = parseImageReference(nonEmpty(t.reference, 'image reference'));
      if (!ref.region) {
        const where = ref.domain ? `registry ${ref.domain}` : 'Docker Hub (no registry domain given)';
        throw new RegtrailError('NOT_A_REGISTRY_IMAGE', `${JSON.stringify(t.reference)} is an image in ${where}, not in a Container Registry region`);
      }
      let digest = ref.digest;
      if (t.digest !== undefined) {
        if (typeof t.digest !== 'string') throw new RegtrailError('BAD_TARGET', 'image digest must be a string such as sha256:<64 hex characters>');
        checkDigest(`${ref.name}@${t.digest}`, t.digest);
        if (digest !== undefined && digest !== t.digest) {
          throw new RegtrailError('BAD_TARGET', `image ${t.reference} names digest ${digest}, not ${t.digest}`);
        }
        digest = t.digest;
      }
      const tag = ref.tag ?? 'latest';
      const name = ref.digest !== undefined ? `${ref.name}@${ref.digest}` : `${ref.name}:${tag}`;
      const resource = digest !== undefined ? `${ref.path}@${digest}` : `${ref.path}:${tag}`;
      return { kind: 'image', id: crn(ref.region.crnLocation, 'image', resource), name, ...(t.resourceGroupId ? { resourceGroupId: t.resourceGroupId } : {}) };
    }
    case 'exemption': {
      const id = nonEmpty(t.id, 'exemption id');
      return { kind: 'exemption', id: crn(region.crnLocation, 'exemption', id), name: givenName(t.name, 'exemption name') ?? `exemption-${id}` };
    }
    case 'resource': {
      const type = nonEmpty(t.resourceType, 'resource type');
      if (!/^[a-z][a-z0-9-]*$/.test(type)) throw new RegtrailError('BAD_TARGET', `invalid resource type ${JSON.stringify(type)}: lower-case letters, digits and '-'`);
      const id = nonEmpty(t.id, 'resource id');
      return { kind: type, id: crn(region.crnLocation, type, id), name: givenName(t.name, `${type} name`) ?? `${type}-${id}` };
    }
    default:
      throw new RegtrailError('BAD_TARGET', `unknown target type ${JSON.stringify((t as { type?: unknown }).type)}; expected account, namespace, image, exemption or resource`);
  }
}
