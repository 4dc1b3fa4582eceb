import { RegtrailError } from '../errors.js';

/**
 * Whether an emit failed because of the event itself (input that cannot make a valid event, an
 * action not emittable on its date), rather than because the sink could not take it. Sending the
 * same event again cannot help the first kind.
 */
export const isEventError = (err: unknown): boolean =>
  err instanceof RegtrailError && /^(INVALID_EVENT|BAD_|NOT_A_REGISTRY_IMAGE|ACTION_)/.test(err.code);
