import { describe, expect, it } from 'vitest';
import { getAction, listActions, resolveRegion, type GroupId } from './index.js';
import { closest } from './suggest.js';

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
};

describe('"did you mean" hints come from the catalog by edit distance', () => {
  it.each([
    ['image.pussh', 'image.push'],
    ['imgae.push', 'image.push'],
    ['Image.Pull', undefined], // case does not count, and image.pull is an id: no error at all (see below)
    ['namespace.creat', 'namespace.create'],
    ['container-registry.image.pussh', 'container-registry.image.push'],
    ['registry-token.create', 'registrytoken.create'],
    ['push', 'container-registry.image.push'], // no close id: the one it ends with
  ])('action %j → %j', (typed, hint) => {
    if (hint === undefined) return expect(getAction(typed.toLowerCase()).id).toBe('container-registry.image.pull');
    expect(message(() => getAction(typed))).toContain(`; did you mean ${hint}?`);
  });

  it.each([
    ['us-soth', 'us-south'],
    ['ap-nort', 'ap-north'],
    ['jp.icr.oi', 'jp.icr.io'],
    ['https://de.icr.oi', 'de.icr.io'],
    ['jp-tk', 'jp-tok'],
  ])('region %j → %j', (typed, hint) => {
    expect(message(() => resolveRegion(typed))).toContain(`did you mean ${hint}?`);
  });

  it.each([
    ['imgaes', 'images'], // a transposition is two edits
    ['namespace', 'namespaces'],
    ['registry-token', 'registry-tokens'],
  ])('group %j → %j', (typed, hint) => {
    expect(message(() => listActions({ group: typed as GroupId }))).toContain(`did you mean ${hint}?`);
  });

  it.each([['mars'], ['image.xyzzy'], ['x'], ['a'.repeat(100_000)]])('%j is too far from everything for a hint', (typed) => {
    expect(message(() => resolveRegion(typed))).not.toContain('did you mean');
    expect(closest(typed, ['us-south', 'image.push', 'images'])).toBeUndefined();
  });

  it.each([
    // [text, candidates, closest]: at most one edit per three characters, from one to three
    ['abc', ['abd'], 'abd'],
    ['abc', ['xyz', 'abcd'], 'abcd'],
    ['abcd', ['abxy'], undefined],
    ['abcdefgh', ['abxyefgh'], 'abxyefgh'],
    ['abcdefghijklmnopqrstuvwx', ['abcdefghijklmnopqrstu'], 'abcdefghijklmnopqrstu'],
    ['abcdefghijklmnopqrstuvwx', ['abcdefghijklmnopqrst'], undefined],
    ['  ABC ', ['abd'], 'abd'],
    ['', ['a'], undefined],
  ])('closest(%j, %j) is %j', (text, candidates, expected) => {
    expect(closest(text, candidates)).toBe(expected);
  });
});
