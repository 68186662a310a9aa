import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

test('defaults: 127.0.0.1:3000, embedded database under ./data, two workers', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, null);
  assert.equal(config.dataDir, path.resolve('data'));
  assert.equal(config.adminToken, null);
  assert.equal(config.workerConcurrency, 2);
});

test('values are parsed once into their types', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://u@db/x',
    BRIGHTCLIENT_WORKERS: '0',
    LOG_LEVEL: 'warn',
  });
  assert.deepEqual(
    [config.port, config.host, config.databaseUrl, config.workerConcurrency, config.logLevel],
    [8080, '0.0.0.0', 'postgres://u@db/x', 0, 'warn'],
  );
});

test('a bad value stops start-up with one clear sentence', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT must be a whole number from 0 to 65535, not 'eighty'\.$/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL\.$/],
    [{ BRIGHTCLIENT_ADMIN_TOKEN: 'short' }, /at least 24 characters/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ BRIGHTCLIENT_WORKERS: '-1' }, /^BRIGHTCLIENT_WORKERS must be a whole number/],
  ];
  for (const [env, message] of cases)
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && message.test(e.message),
      JSON.stringify(env),
    );
});

test('BRIGHTCLIENT_RECEIVING_TTL_HOURS: 24 by default, decimals allowed, nothing at or below zero', () => {
  assert.equal(loadConfig({}).receivingTtlHours, 24);
  assert.equal(loadConfig({ BRIGHTCLIENT_RECEIVING_TTL_HOURS: '0.001' }).receivingTtlHours, 0.001);
  assert.equal(loadConfig({ BRIGHTCLIENT_RECEIVING_TTL_HOURS: '48' }).receivingTtlHours, 48);
  for (const bad of ['0', '-1', 'a day', '1e3'])
    assert.throws(() => loadConfig({ BRIGHTCLIENT_RECEIVING_TTL_HOURS: bad }), ConfigError, bad);
});

test('BRIGHTCLIENT_INTAKE_THREADS: one fewer than the cores by default, never none', () => {
  assert.equal(loadConfig({}).intakeThreads, Math.max(1, availableParallelism() - 1));
  assert.equal(loadConfig({ BRIGHTCLIENT_INTAKE_THREADS: '3' }).intakeThreads, 3);
  for (const bad of ['0', '65', 'two', '1.5'])
    assert.throws(
      () => loadConfig({ BRIGHTCLIENT_INTAKE_THREADS: bad }),
      /BRIGHTCLIENT_INTAKE_THREADS must be a whole number from 1 to 64/,
      bad,
    );
});
