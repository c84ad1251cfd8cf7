/**
 * The versioning policy (docs/versioning.md) checked on the pending release plan: one version for
 * every published @om package, and every peer range accepts the version it will meet.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import semver from 'semver';
import { PLUGIN_API_VERSION } from '@om/core';
import { publishedPackages, readManifest, TEMPLATE_DIR } from './workspace';
import { REPO_ROOT } from '../helpers/user-project';

interface PlannedRelease {
  name: string;
  type: string;
  oldVersion: string;
  newVersion: string;
}

function releasePlan(): PlannedRelease[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-plan-')), 'plan.json');
  // `changeset status --output` writes the plan `changeset version` would apply (relative to the repo root).
  execFileSync(process.execPath, [require.resolve('@changesets/cli/bin.js', { paths: [REPO_ROOT] }), 'status', '--output', path.relative(REPO_ROOT, out)], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  return (JSON.parse(fs.readFileSync(out, 'utf8')) as { releases: PlannedRelease[] }).releases;
}

describe('versioning policy', () => {
  const packages = publishedPackages();
  const plan = releasePlan();
  const released = new Map(packages.map((p) => [p.manifest.name, plan.find((r) => r.name === p.manifest.name)?.newVersion ?? p.manifest.version]));

  it('puts every published @om package into the one fixed group', () => {
    const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.changeset', 'config.json'), 'utf8'));
    expect(config.fixed).toEqual([['@om/*']]);
    for (const p of packages) expect(p.manifest.name).toMatch(/^@om\//);
  });

  it('releases every published package at one version, and none as a major', () => {
    expect(new Set(released.values()).size).toBe(1);
    // A major is reserved for a new plugin API (PLUGIN_API_VERSION); a peer range that refuses a
    // core minor would force one on every plugin.
    expect(plan.filter((r) => r.type === 'major').map((r) => r.name)).toEqual([]);
  });

  it('every peer range (packages, plugins and the template) accepts the version being released', () => {
    const consumers = [...packages.map((p) => ({ where: p.dir, manifest: p.manifest })), { where: TEMPLATE_DIR, manifest: readManifest(TEMPLATE_DIR) }];
    const refused: string[] = [];
    for (const { where, manifest } of consumers) {
      for (const [name, range] of Object.entries((manifest.peerDependencies ?? {}) as Record<string, string>)) {
        const version = released.get(name);
        if (!version) continue;
        if (!semver.satisfies(version, range)) refused.push(`${path.relative(REPO_ROOT, where)}: ${name} ${range} refuses ${version}`);
        // The next minor must not break it either (0.x caret ranges would).
        const nextMinor = semver.inc(version, 'minor')!;
        if (!semver.satisfies(nextMinor, range)) refused.push(`${path.relative(REPO_ROOT, where)}: ${name} ${range} refuses the next minor ${nextMinor}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('every plugin declares the plugin API this core implements', () => {
    const plugins = [...packages.map((p) => p.manifest), readManifest(TEMPLATE_DIR)].filter((m) => m.om);
    expect(plugins.length).toBeGreaterThan(5);
    for (const m of plugins) expect({ name: m.name, apiVersion: (m.om as { apiVersion: number }).apiVersion }).toEqual({ name: m.name, apiVersion: PLUGIN_API_VERSION });
  });
});
