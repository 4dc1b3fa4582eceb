import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../index.js';
import { contentWith, problemsOf, removeScratch } from '../../test/content.js';
import { contentDir } from '../../test/paths.js';

afterEach(removeScratch);

const lineOf = (text: string, needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length;

describe('loadContent', () => {
  it('loads the real content', () => {
    const c = loadContent(contentDir);
    expect(c.actions).toHaveLength(41);
    expect(c.languages).toEqual(['en', 'zh-CN']);
  });

  const actionsYaml = fs.readFileSync(path.join(contentDir, 'catalog/actions.yaml'), 'utf8');

  // Each row: what is wrong, the edit that makes it wrong, and what the one problem must say.
  const cases: [string, string, (t: string) => string, RegExp][] = [
    ['a duplicate id', 'catalog/actions.yaml',
      (t) => t.replace('id: container-registry.exemption.delete', 'id: container-registry.exemption.create'),
      /actions\.yaml:\d+ actions\[1\]\.id container-registry\.exemption\.create: duplicate id, first defined at actions\[0\]/],
    ['an unknown group', 'catalog/actions.yaml',
      (t) => t.replace('group: namespaces', 'group: spaces'),
      /actions\.yaml:\d+ actions\[11\]\.group container-registry\.namespace\.create: unknown group "spaces"/],
    ['removed before since', 'catalog/actions.yaml',
      (t) => t.replace('removed: 2021-10-06', 'removed: 2018-01-01'),
      /actions\.yaml:\d+ actions\[2\]\.removed container-registry\.image\.build: removed \(2018-01-01\) must be after since \(2019-03-14\)/],
    ['a field of unknown type', 'catalog/actions.yaml',
      (t) => t.replace('- path: responseData.id\n        type: string', '- path: responseData.id\n        type: uuid'),
      /actions\.yaml:\d+ actions\[36\]\.fields\[1\]\.type unknown field type "uuid"/],
    ['an impossible date', 'catalog/actions.yaml',
      (t) => t.replace('since: 2020-04-16', 'since: 2020-04-31'),
      /actions\.yaml:\d+ actions\[30\]\.since expected a real calendar date/],
    ['an unknown key', 'catalog/actions.yaml',
      (t) => t.replace('    since: 2018-07-25', '    sinse: 2018-07-25'),
      /actions\.yaml:\d+ actions\[0\]/],
    ['a bad dataEvent', 'catalog/actions.yaml',
      (t) => t.replace('dataEvent: true', 'dataEvent: maybe'),
      /actions\[2\]\.dataEvent expected true, false or unclassified/],
    ['YAML that does not parse', 'catalog/groups.yaml',
      (t) => `${t}\n  - id: [unclosed\n`,
      /groups\.yaml:\d+/],
    ['a missing description', 'locales/zh-CN/actions.json',
      (t) => t.replace('"push": "将映像推送到 {{registry}}。",', ''),
      /zh-CN\/actions\.json:\? image\.push missing description of container-registry\.image\.push/],
    ['an unknown product variable', 'locales/en/actions.json',
      (t) => t.replace('Uploads an image to {{registry}}.', 'Uploads an image to {{registy}}.'),
      /en\/actions\.json:\? image\.push unknown variable \{\{registy\}\}/],
    ['a CLI translation using a variable its English string is not given', 'locales/zh-CN/cli.json',
      (t) => t.replace('"footer_other": "截至 {{asOf}}，共 {{count}} 个操作"', '"footer_other": "截至 {{asOf}}，共 {{cuont}} 个操作"'),
      /zh-CN\/cli\.json:\? actions\.footer_other unknown variable \{\{cuont\}\}: the en string does not have it/],
    ['an empty translation', 'locales/en/groups.json',
      (t) => t.replace('"Images"', '""'),
      /en\/groups\.json:\? images empty translation/],
    ['an edition naming an unknown region', 'catalog/regions.yaml',
      (t) => t.replace('      jp-osa: jp-tok', '      jp-osaka: jp-tok'),
      /regions\.yaml:\d+ editions\[2\]\.locations\.jp-osaka logdna-osaka: unknown region jp-osaka/],
    ['editions out of order', 'catalog/regions.yaml',
      (t) => t.replace('since: 2021-05-14', 'since: 2021-01-14'),
      /regions\.yaml:\d+ editions\[3\]\.since logdna-osaka-local: 2021-01-14 is not after the previous edition's 2021-02-15/],
    ['a region domain used twice', 'catalog/regions.yaml',
      (t) => t.replace('domain: ca2.icr.io', 'domain: ca.icr.io'),
      /regions\.yaml:\d+ regions\[9\] ca-mon: ca\.icr\.io already names ca-tor/],
    ['a missing region name', 'locales/zh-CN/regions.json',
      (t) => t.replace('"name": "日本（大阪）", ', ''),
      /zh-CN\/regions\.json:\? jp-osa\.name missing name of region jp-osa/],
    ['an unknown target kind', 'catalog/actions.yaml',
      (t) => t.replace('    target: exemption', '    target: exemptions'),
      /actions\.yaml:\d+ actions\[0\]\.target container-registry\.exemption\.create: unknown target kind "exemptions"; event\.yaml's target kinds are account, namespace/],
    ['an unknown severity', 'catalog/actions.yaml',
      (t) => t.replace('severity: critical', 'severity: severe'),
      /actions\.yaml:\d+ actions\[1\]\.severity container-registry\.exemption\.delete: unknown severity "severe"; event\.yaml's severities are normal, warning, critical/],
    ['an event field before its object', 'catalog/event.yaml',
      (t) => t.replace('  - path: initiator.id\n', '  - path: initiatr.id\n'),
      /event\.yaml:\d+ fields\[2\]\.path initiatr\.id: its object initiatr must be listed before it/],
    ['an event field with an unknown value set', 'catalog/event.yaml',
      (t) => t.replace('values: credentialType', 'values: credentialTypes'),
      /event\.yaml:\d+ fields\[6\]\.values initiator\.credential\.type: unknown value set credentialTypes/],
    ['an event field with an unknown pattern', 'catalog/event.yaml',
      (t) => t.replace('pattern: eventTime', 'pattern: time'),
      /event\.yaml:\d+ fields\[\d+\]\.pattern eventTime: unknown pattern time; patterns are action, crn, typeURI, eventTime/],
    ['a pattern that is not a regular expression', 'catalog/event.yaml',
      (t) => t.replace("typeURI: '^[a-z][a-z0-9-]*(/[A-Za-z0-9-]+)+$'", () => "typeURI: '^[a-z(+$'"),
      /event\.yaml:\d+ patterns\.typeURI not a regular expression/],
    ['a kind of caller with an unknown credential', 'catalog/event.yaml',
      (t) => t.replace('credential: certificate', 'credential: certificat'),
      /event\.yaml:\d+ initiatorKinds\[2\]\.credential unknown credential type "certificat"/],
    ['an event field without its rule', 'locales/zh-CN/event.json',
      (t) => t.replace(/\s*"authnId": "[^"]*",/, ''),
      /zh-CN\/event\.json:\? initiator\.authnId missing rule of event field initiator\.authnId/],
    ['a rule for a field the model does not have', 'locales/en/event.json',
      (t) => t.replace('"outcome":', '"outcomes": "x",\n  "outcome":'),
      /en\/event\.json:\? outcomes is not a field of the event model/],
    ['a non-empty integer', 'catalog/event.yaml',
      (t) => t.replace('    minimum: 100\n', '    minimum: 100\n    nonEmpty: true\n'),
      /event\.yaml:\d+ fields\[\d+\]\.nonEmpty reason\.reasonCode: only a string can be non-empty/],
    ['invalid JSON', 'locales/en/common.json',
      (t) => t.replace('"flags": {', '"flags": {,'),
      /en\/common\.json:\d+ {2}invalid JSON/],
    ['a plural string without a form English needs', 'locales/en/docs.json',
      (t) => t.replace(/\s*"tableOnDate_one": "[^"]*",/, ''),
      /en\/docs\.json:\? history\.tableOnDate missing plural form\(s\) history\.tableOnDate_one; en needs one, other/],
    ['a plural form a language never uses', 'locales/zh-CN/docs.json',
      (t) => t.replace('"tableOnDate_other":', '"tableOnDate_few": "x {{count}}",\n    "tableOnDate_other":'),
      /zh-CN\/docs\.json:\? history\.tableOnDate plural form\(s\) history\.tableOnDate_few are never used in zh-CN, which needs other/],
    ['a translation without a plural form its English string has (key parity)', 'locales/zh-CN/docs.json',
      (t) => t.replace(/\s*"tableOnDate_one": "[^"]*",/, ''),
      /zh-CN\/docs\.json:\? history\.tableOnDate missing plural form\(s\) history\.tableOnDate_one; zh-CN needs other, and carries en's one for key parity/],
    ['a variable no one passes', 'locales/en/docs.json',
      (t) => t.replace('({{count}} action listed)', '({{cuont}} action listed)'),
      /en\/docs\.json:\? history\.tableOnDate_one unknown variable \{\{cuont\}\}; service\.yaml products are .*, and callers pass count, date/],
    ['a per-language product name without English', 'catalog/service.yaml',
      (t) => t.replace('    en: Vulnerability Advisor\n', ''),
      /service\.yaml:\d+ products\.vulnerabilityAdvisor a per-language name needs the source language en/],
    ['a product name in an unknown language', 'catalog/service.yaml',
      (t) => t.replace('    zh-CN: 漏洞顾问程序', '    zh-TW: 漏洞顧問程式'),
      /service\.yaml:\d+ products\.vulnerabilityAdvisor\.zh-TW unknown language zh-TW; content\/locales has en, zh-CN/],
  ];

  it.each(cases)('rejects %s, naming file and key', (_what, file, edit, expected) => {
    const problems = problemsOf(contentWith(file, edit));
    expect(problems.some((p) => expected.test(p)), problems.join('\n')).toBe(true);
  });

  it('points at the line of the offending key', () => {
    const problems = problemsOf(contentWith('catalog/actions.yaml', (t) => t.replace('group: namespaces', 'group: spaces')));
    expect(problems[0]).toContain(`actions.yaml:${lineOf(actionsYaml, 'group: namespaces')} `);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf(
      contentWith('catalog/actions.yaml', (t) => t.replace('group: namespaces', 'group: spaces').replace('removed: 2021-10-06', 'removed: 2018-01-01')),
    );
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });
});
