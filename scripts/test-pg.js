#!/usr/bin/env node
// Runs the test suite on PostgreSQL: TEST_DATABASE_URL if set, else the local server.
// Each test file creates and drops a database of its own on that server.
const { spawnSync } = require('node:child_process');

const url = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const result = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--runInBand', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TEST_DATABASE_URL: url, LOG_LEVEL: process.env.LOG_LEVEL || 'silent' } },
);
process.exit(result.status ?? 1);
