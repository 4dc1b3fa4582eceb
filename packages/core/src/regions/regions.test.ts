import { describe, expect, it } from 'vitest';
import { listRegions, resolveRegion, RegtrailError } from '../index.js';

// The region facts table: region today, former name, domain, private domain, deprecated domain, CRN location.
const REGIONS: [string, string | null, string, string | null, string | null, string][] = [
  ['jp-tok', 'ap-north', 'jp.icr.io', 'private.jp.icr.io', null, 'jp-tok'],
  ['au-syd', 'ap-south', 'au.icr.io', 'private.au.icr.io', 'registry.au-syd.bluemix.net', 'au-syd'],
  ['eu-de', 'eu-central', 'de.icr.io', 'private.de.icr.io', 'registry.eu-de.bluemix.net', 'eu-de'],
  ['eu-gb', 'uk-south', 'uk.icr.io', 'private.uk.icr.io', 'registry.eu-gb.bluemix.net', 'eu-gb'],
  ['us-south', 'us-south', 'us.icr.io', 'private.us.icr.io', 'registry.ng.bluemix.net', 'us-south'],
  ['jp-osa', null, 'jp2.icr.io', 'private.jp2.icr.io', null, 'jp-osa'],
  ['br-sao', null, 'br.icr.io', 'private.br.icr.io', null, 'br-sao'],
  ['ca-tor', null, 'ca.icr.io', 'private.ca.icr.io', null, 'ca-tor'],
  ['eu-es', null, 'es.icr.io', 'private.es.icr.io', null, 'eu-es'],
  ['ca-mon', null, 'ca2.icr.io', 'private.ca2.icr.io', null, 'ca-mon'],
  ['in-che', null, 'in.icr.io', 'private.in.icr.io', null, 'in-che'],
  ['in-mum', null, 'in2.icr.io', 'private.in2.icr.io', null, 'in-mum'],
  ['global', null, 'icr.io', null, 'registry.bluemix.net', 'us-east'],
];

describe('regions', () => {
  it('are exactly the regions of the facts', () => {
    expect(listRegions().map((r) => r.id)).toEqual(REGIONS.map(([id]) => id));
  });

  describe.each(REGIONS)('%s', (id, former, domain, privateDomain, deprecated, crnLocation) => {
    const names = [id, former, domain, privateDomain, deprecated, `${domain}/va`, `https://${domain}`, domain.toUpperCase()].filter(
      (n): n is string => Boolean(n),
    );
    if (deprecated) names.push(deprecated.replace(/^registry\./, 'va.'));
    it.each(names)('%s resolves to it', (text) => expect(resolveRegion(text).id).toBe(id));
    it('has the CRN location of the facts', () => expect(resolveRegion(id).crnLocation).toBe(crnLocation));
  });

  it('accepts the examples of the issue', () => {
    expect(resolveRegion('registry.ng.bluemix.net').id).toBe('us-south');
    expect(resolveRegion('us.icr.io/va').id).toBe('us-south');
    expect(resolveRegion('va.ng.bluemix.net').id).toBe('us-south');
    expect(resolveRegion('AP-North').id).toBe('jp-tok');
    expect(resolveRegion('Private.JP.icr.io').id).toBe('jp-tok');
  });

  it('takes a registry domain with an explicit port as the same registry', () => {
    expect(resolveRegion('jp.icr.io:443').id).toBe('jp-tok');
    expect(resolveRegion('private.us.icr.io:443').id).toBe('us-south');
  });

  it.each(['mars', '', 'us.icr.io/ns', 'eu-central-1', 'icr.io.evil.test', 'jp.icr.io:', 'jp.icr.io:https', 'jp.icr.io:44a'])('refuses %j, naming it', (text) => {
    expect(() => resolveRegion(text)).toThrow(RegtrailError);
    expect(() => resolveRegion(text)).toThrow(JSON.stringify(text));
  });
});
