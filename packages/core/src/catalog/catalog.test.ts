import { describe, expect, it } from 'vitest';
import { allActions, editions, getAction, listActions, RegtrailError, resolveActionId, type ActionId, type CatalogEntry } from '../index.js';

// The facts table of shared/reference/catalog-facts.md: id, since, deprecated, removed, dataEvent.
const FACTS: [string, string, string | null, string | null, boolean | 'unclassified'][] = [
  ['exemption.create', '2018-07-25', null, null, false],
  ['exemption.delete', '2018-07-25', null, null, false],
  ['image.build', '2019-03-14', null, '2021-10-06', true],
  ['image.delete', '2019-03-14', null, null, true],
  ['image.inspect', '2019-03-14', null, null, false],
  ['image.list', '2019-03-14', null, null, false],
  ['image.pull', '2019-03-14', null, null, true],
  ['image.push', '2019-03-14', null, null, true],
  ['image.tag', '2019-03-14', null, null, false],
  ['namespace.create', '2019-03-14', null, null, false],
  ['namespace.delete', '2019-03-14', null, null, false],
  ['namespace.list', '2019-03-14', null, null, false],
  ['plan.get', '2019-03-14', null, null, false],
  ['plan.set', '2019-03-14', null, null, false],
  ['quota.get', '2019-03-14', null, null, false],
  ['quota.set', '2019-03-14', null, null, false],
  ['registrytoken.create', '2019-03-14', '2019-06-21', '2019-07-01', false],
  ['registrytoken.delete', '2019-03-14', '2020-02-26', '2021-08-23', false],
  ['registrytoken.get', '2019-03-14', '2020-02-26', '2021-08-23', false],
  ['registrytoken.list', '2019-03-14', '2020-02-26', '2021-08-23', false],
  ['registrytokens.delete', '2019-03-14', '2020-02-26', '2021-08-23', false],
  ['image.rm', '2019-06-13', null, '2019-12-19', 'unclassified'],
  ['image.untag', '2019-06-13', null, null, false],
  ['image.bulkdelete', '2019-08-01', null, null, true],
  ['retention.analyze', '2019-08-22', null, null, false],
  ['retention.list', '2019-09-23', null, null, false],
  ['retention.set', '2019-09-23', null, null, false],
  ['trash.list', '2019-09-23', null, null, false],
  ['trash.restore', '2019-09-23', null, null, false],
  ['manifest.inspect', '2019-10-14', null, null, false],
  ['auth.get', '2020-04-16', null, null, false],
  ['auth.set', '2020-04-16', null, null, false],
  ['settings.get', '2020-10-21', null, null, false],
  ['settings.set', '2020-10-21', null, null, false],
  ['account-vulnerability-report.list', '2021-01-07', null, null, false],
  ['account-vulnerability-status.list', '2021-01-07', null, null, false],
  ['image-vulnerability-report.read', '2021-01-07', null, null, false],
  ['image-vulnerability-status.read', '2021-01-07', null, null, false],
  ['signature.delete', '2022-01-18', null, null, true],
  ['signature.read', '2022-01-18', null, null, true],
  ['signature.write', '2022-01-18', null, null, true],
];

const dayBefore = (d: string) => new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10);
const listedOn = (date: string, includeRemoved = false) =>
  new Map<string, CatalogEntry>(listActions({ asOf: date, includeRemoved }).map((a) => [a.id, a]));

describe('timeline: every row of the facts table', () => {
  it('the catalog has exactly the 41 actions of the facts', () => {
    expect(allActions().map((a) => a.id).sort()).toEqual(FACTS.map(([id]) => `container-registry.${id}`).sort());
  });

  describe.each(FACTS)('%s', (short, since, deprecated, removed, dataEvent) => {
    const id = `container-registry.${short}`;
    it('facts match', () => {
      const a = getAction(id);
      expect([a.since, a.deprecated ?? null, a.removed ?? null, a.dataEvent]).toEqual([since, deprecated, removed, dataEvent]);
      expect(a.targetTypeURI).toBe(`container-registry/${short.split('.')[0]}`);
    });
    it('is listed from its since date, not the day before', () => {
      expect(listedOn(dayBefore(since)).has(id)).toBe(false);
      expect(listedOn(since).get(id)?.status).toBe('listed');
    });
    if (deprecated) {
      it('is deprecated from its deprecated date, not the day before', () => {
        expect(listedOn(dayBefore(deprecated)).get(id)?.status).toBe('listed');
        expect(listedOn(dayBefore(deprecated)).get(id)?.deprecated).toBeUndefined();
        expect(listedOn(deprecated).get(id)?.status).toBe('deprecated');
      });
    }
    if (removed) {
      it('is gone from its removed date, unless removed actions are asked for', () => {
        expect(listedOn(dayBefore(removed)).has(id)).toBe(true);
        expect(listedOn(removed).has(id)).toBe(false);
        expect(listedOn(removed, true).get(id)?.status).toBe('removed');
      });
    } else {
      it('is listed today', () => expect(listedOn(new Date().toISOString().slice(0, 10)).has(id)).toBe(true));
    }
  });
});

describe('listActions', () => {
  it('returns the seed page on 2019-06-21, with registrytoken.create deprecated only from that day', () => {
    const seed = listActions({ asOf: '2019-06-21' });
    expect(seed).toHaveLength(23);
    expect(seed.find((a) => a.id === 'container-registry.registrytoken.create')?.status).toBe('deprecated');
    expect(listActions({ asOf: '2019-06-20' }).find((a) => a.id === 'container-registry.registrytoken.create')?.status).toBe('listed');
  });
  it('returns 34 actions today and 41 with removed ones', () => {
    expect(listActions()).toHaveLength(34);
    expect(listActions({ includeRemoved: true })).toHaveLength(41);
  });
  it('accepts a Date', () => expect(listActions({ asOf: new Date('2019-06-21T12:00:00Z') })).toHaveLength(23));
  it('filters by group and by kind', () => {
    expect(listActions({ group: 'namespaces' }).map((a) => a.id)).toEqual([
      'container-registry.namespace.create',
      'container-registry.namespace.delete',
      'container-registry.namespace.list',
    ]);
    const data = listActions({ dataEvent: true });
    const management = listActions({ dataEvent: false });
    expect(data.every((a) => a.dataEvent === true)).toBe(true);
    expect(data.length + management.length).toBe(34);
    expect(listActions({ includeRemoved: true, dataEvent: true }).some((a) => a.id.endsWith('image.rm'))).toBe(false);
  });
  it.each([['2019-13-01'], ['yesterday'], ['2021-02-29'], ['']])('rejects the date %j', (asOf) => {
    expect(() => listActions({ asOf })).toThrow(RegtrailError);
    expect(() => listActions({ asOf })).toThrow(/YYYY-MM-DD/);
  });
  it('rejects an unknown group', () => {
    expect(() => listActions({ group: 'nope' as never })).toThrow(/unknown group "nope"/);
  });
});

describe('getAction and ids', () => {
  it('accepts ids with and without the service prefix', () => {
    expect(resolveActionId('image.push')).toBe('container-registry.image.push');
    const id: ActionId = 'container-registry.signature.write';
    expect(getAction(id).fields.map((f) => f.path)).toContain('requestData.RequestParameters.signatureMethod');
  });
  it('names an unknown id and suggests a close one', () => {
    expect(() => getAction('image.pussh')).toThrow(/unknown action "image.pussh"/);
    expect(() => getAction('push')).toThrow(/did you mean container-registry.image.push/);
  });
});

describe('editions', () => {
  it('are the sorted, distinct dates of every change', () => {
    const e = editions();
    expect(e).toEqual([...new Set(e)].sort());
    expect(e[0]).toBe('2018-07-25');
    expect(e).toContain('2019-06-21');
    expect(e).toContain('2021-08-23');
    expect(e.at(-1)).toBe('2022-01-18');
  });
});
