// One Jest run for the whole monorepo. Workspace packages resolve to their TypeScript
// sources (one copy of @om/core in a run), and ESM-only dependencies are transpiled by swc.
const fs = require('node:fs');
const path = require('node:path');

const moduleNameMapper = {};
for (const group of ['packages', 'plugins']) {
  const dir = path.join(__dirname, group);
  if (!fs.existsSync(dir)) continue;
  for (const entry of fs.readdirSync(dir)) {
    const manifest = path.join(dir, entry, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    moduleNameMapper[`^${name.replace('/', '\\/')}$`] = path.join(dir, entry, 'src', 'index.ts');
  }
}

// Subpath exports used across packages.
moduleNameMapper['^@om/datalake/testing$'] = path.join(__dirname, 'packages', 'datalake', 'src', 'testing', 'index.ts');
moduleNameMapper['^@om/object-store/testing$'] = path.join(__dirname, 'packages', 'object-store', 'src', 'testing', 'index.ts');
moduleNameMapper['^@om/core/test-kit$'] = path.join(__dirname, 'packages', 'core', 'src', 'test-kit', 'index.ts');
moduleNameMapper['^@om/core/worker-protocol$'] = path.join(__dirname, 'packages', 'core', 'src', 'worker-protocol.ts');
moduleNameMapper['^@om/core/errors$'] = path.join(__dirname, 'packages', 'core', 'src', 'errors.ts');

// ESM-only packages that Jest must transpile to CommonJS.
const esmOnly = ['hyparquet', 'hyparquet-compressors', 'https-proxy-agent', 'http-proxy-agent', 'agent-base', 'proxy-agent-negotiate'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/plugins', '<rootDir>/tests', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // The plugin template is a standalone project with its own test runner (node --test).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/examples/plugin-template/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  moduleNameMapper,
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: false },
          target: 'es2022',
        },
        module: { type: 'commonjs', ignoreDynamic: false },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${esmOnly.join('|')}))`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/tests/setup/global-setup.js',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.js',
  reporters: ['default', '<rootDir>/tests/setup/summary-reporter.js'],
  maxWorkers: 2,
  testTimeout: 60000,
};
