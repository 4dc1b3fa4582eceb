export { listRegions, getRegion, resolveRegion, findRegion, type Region, type RegionId } from './regions.js';
export { eventLocation, locationEditions, locationEditionOn, locationUnder, type EventLocation, type LocationEdition } from './location.js';
export { parseImageReference, type ImageReference } from './image-reference.js';
export { whereIs, type WhereAnswer } from './where.js';
