import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliPath } from './paths.js';
import { describeAction, listActions } from '@regtrail/core';

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('regtrail CLI (built, run as a process)', () => {
  it('actions prints today\'s table', async () => {
    const r = await run('actions');
    expect(r.code).toBe(0);
    for (const a of listActions()) expect(r.stdout).toContain(a.id);
    expect(r.stdout).not.toContain('container-registry.image.build ');
    expect(r.stdout).toContain('34 actions as of');
  });

  it('actions --as-of 2019-06-21 --lang zh-CN --json is the seed page', async () => {
    const r = await run('actions', '--as-of', '2019-06-21', '--lang', 'zh-CN', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; description: string; deprecated: string | null; removed: string | null; dataEvent: unknown; group: string; since: string }[];
    expect(rows).toHaveLength(23);
    const token = rows.find((x) => x.id === 'container-registry.registrytoken.create')!;
    expect(token).toMatchObject({ deprecated: '2019-06-21', removed: null, group: 'registry-tokens', since: '2019-03-14', dataEvent: false });
    expect(rows.find((x) => x.id === 'container-registry.image.push')!.description).toBe(describeAction('image.push', 'zh-CN'));
  });

  it('actions filters by group and kind', async () => {
    const r = await run('actions', '--group', 'images', '--data', '--json');
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
    expect(ids).toEqual(listActions({ group: 'images', dataEvent: true }).map((a) => a.id));
    const all = JSON.parse((await run('actions', '--all', '--json')).stdout) as unknown[];
    expect(all).toHaveLength(41);
  });

  it('show prints one action, in Chinese on request', async () => {
    const r = await run('show', 'image-vulnerability-report.read', '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('container-registry.image-vulnerability-report.read');
    expect(r.stdout).toContain(describeAction('image-vulnerability-report.read', 'zh-CN'));
    expect(r.stdout).toContain('UNSCANNED');
    const j = JSON.parse((await run('show', 'container-registry.registrytoken.get', '--json')).stdout);
    expect(j).toMatchObject({ id: 'container-registry.registrytoken.get', deprecated: '2020-02-26', removed: '2021-08-23' });
  });

  it.each([
    [['show', 'image.pussh'], /^regtrail: error: unknown action "image.pussh"/],
    [['actions', '--as-of', '2019-02-30'], /^regtrail: error: invalid --as-of date "2019-02-30"/],
    [['actions', '--lang', 'fr'], /^regtrail: error: unknown language "fr"/],
    [['actions', '--group', 'nope'], /^regtrail: error: unknown group "nope"/],
    [['actions', '--data', '--management'], /cannot be used with/],
    [['actions', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command/],
  ])('%j is a one-line error with exit code 2', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('every command has --help', async () => {
    for (const args of [['--help'], ['actions', '--help'], ['show', '--help'], ['regions', '--help'], ['where', '--help']]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: regtrail/);
    }
  });
});

describe('regtrail regions and where', () => {
  it('regions --json lists every region with where its events are found', async () => {
    const rows = JSON.parse((await run('regions', '--as-of', '2019-06-21', '--json')).stdout) as { region: string; eventLocation: string | null }[];
    expect(rows.find((r) => r.region === 'jp-tok')?.eventLocation).toBe('ap-south');
    expect(rows.find((r) => r.region === 'jp-osa')?.eventLocation).toBeNull();
    const today = JSON.parse((await run('regions', '--json')).stdout) as { region: string; eventLocation: string }[];
    expect(today.find((r) => r.region === 'global')?.eventLocation).toBe('us-east');
  });

  it('regions prints a localized table', async () => {
    const r = await run('regions', '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('亚太地区北部');
    expect(r.stdout).toContain('jp2.icr.io');
  });

  it('where reads regions, domains and image references', async () => {
    const image = JSON.parse((await run('where', 'jp2.icr.io/team/app:1.4', '--as-of', '2021-03-01', '--json')).stdout);
    expect(image).toMatchObject({ kind: 'image', region: 'jp-osa', eventLocation: 'jp-tok', image: { namespace: 'team', tag: '1.4' } });
    const region = JSON.parse((await run('where', 'ap-north', '--as-of', '2019-06-21', '--json')).stdout);
    expect(region).toMatchObject({ kind: 'region', region: 'jp-tok', eventLocation: 'ap-south', edition: 'legacy' });
    const text = await run('where', 'registry.ng.bluemix.net');
    expect(text.stdout).toMatch(/region us-south: events are found in us-south/);
  });

  it('where: a registry host with an explicit port is the same registry', async () => {
    for (const [input, region] of [['us.icr.io:443/ns/app:1', 'us-south'], ['private.us.icr.io:443/a/b/c:v1', 'us-south'], ['jp2.icr.io:443', 'jp-osa']] as const) {
      const r = await run('where', input, '--json');
      expect(r.code, `${input}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ region });
    }
  });

  it.each([
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--image', 'us.icr.io/a/b:1', '--time', '2025-02-30T00:00:00Z'], /invalid --time "2025-02-30T00:00:00Z": 2025-02-30 is not a real calendar date/],
    [['emit', 'image.push', '--account', 'a', '--region', 'us-south', '--initiator-id', 'IBMid-1', '--image', 'us.icr.io/a/b:1', '--time', '2025-01-01T24:00:00Z'], /invalid --time "2025-01-01T24:00:00Z": 24:00:00 is not a real time of day/],
    [['simulate', '--start', '2025-02-31', '--count', '1'], /invalid --start "2025-02-31": 2025-02-31 is not a real calendar date/],
    [['simulate', '--start', '2019-02-01', '--count', '1'], /us-south had no event location on 2019-02-01: the first rule of where events are found dates from 2019-03-14/],
  ])('%j: impossible and too early dates are one-line errors', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['where', 'mars'], /unknown region or registry domain "mars"/],
    [['where', 'us.icr.io/Team/app'], /must be lower case/],
    [['where', 'docker.io/library/ubuntu'], /not in a Container Registry region/],
    [['where', 'ca-mon', '--as-of', '2020-01-01'], /does not cover ca-mon/],
    [['regions', '--as-of', 'soon'], /invalid --as-of date "soon"/],
  ])('%j is a one-line error with exit code 2', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
