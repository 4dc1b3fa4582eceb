import { RegtrailError } from '../errors.js';
import type { IsoDate } from '../dates.js';
import { findRegion, resolveRegion, type Region } from './regions.js';
import { eventLocation, type EventLocation } from './location.js';
import { parseImageReference, type ImageReference } from './image-reference.js';

export interface WhereAnswer extends EventLocation {
  readonly input: string;
  /** What the text was read as. */
  readonly kind: 'region' | 'image';
  readonly crnLocation: string;
  readonly image?: Omit<ImageReference, 'region'>;
}

/**
 * Answers "where are the events about this found?" for a region name, a registry domain or an
 * image reference, under the rule in force on `asOf` (today by default).
 */
export function whereIs(text: string, options: { asOf?: IsoDate | Date } = {}): WhereAnswer {
  const region = findRegion(text);
  if (region) return answer(text, 'region', region, options);
  // Without a '/', the text can only have meant a region or a domain.
  if (!text.includes('/')) resolveRegion(text);
  const image = parseImageReference(text.trim());
  if (!image.region) {
    const where = image.domain ? `registry ${image.domain}` : 'Docker Hub (no registry domain given)';
    throw new RegtrailError('NOT_A_REGISTRY_IMAGE', `${JSON.stringify(text)} is an image in ${where}, not in a Container Registry region`);
  }
  const { region: imageRegion, ...rest } = image;
  return { ...answer(text, 'image', imageRegion, options), image: rest };
}

function answer(input: string, kind: WhereAnswer['kind'], region: Region, options: { asOf?: IsoDate | Date }): WhereAnswer {
  return { input, kind, ...eventLocation(region, options), crnLocation: region.crnLocation };
}
