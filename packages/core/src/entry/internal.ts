/**
 * @regtrail/core/internal: helpers the repository's own tools use (the docs site, the content
 * checks and tests). Not part of the public API: anything here may change in any release.
 *
 * - `content`: the generated, typed copy of content/ the library embeds
 * - `flattenResources`, `interpolationVariables`, `pluralForm`: how the content checks read i18next resources
 * - `LEGACY_FIELDS`, `actionVariant`: parts the event schema is assembled from
 * - `sampleId`: the fixed event id of an action's sample event
 */
export { content } from '../generated/content.js';
export type { ContentData, LocaleResources } from '../content/types.js';
export { flattenResources, interpolationVariables, pluralForm } from '../content/locales.js';
export { LEGACY_FIELDS, actionVariant } from '../validate/schema.js';
export { sampleId } from '../event/samples.js';
