import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const ROOT = path.resolve(__dirname, '..');

describe('configuration', () => {
  it('runs on embedded defaults in development: PGlite in ./data and the demo directory', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('./data') });
    expect(config.directory).toBeUndefined();
    expect(config.port).toBe(3000);
  });

  it('uses PostgreSQL and the city directory when configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/smr',
      LDAP_URL: 'ldaps://ldap.example',
      LDAP_SEARCH_BASE: 'ou=people,dc=x',
      LDAP_GROUP_ADMIN: 'cn=admins,dc=x',
    });
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://u@db/smr' });
    expect(config.directory?.url).toBe('ldaps://ldap.example');
    expect(config.directory?.roleGroups).toEqual({ admin: 'cn=admins,dc=x' });
  });

  it('refuses production without database, directory and secret, naming each missing setting', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'LDAP_URL', 'SESSION_SECRET', 'LDAP_SEARCH_BASE', 'BASE_URL']) {
      expect(problems).toContain(name);
    }
  });

  it('refuses a short session secret in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u@db/smr',
        LDAP_URL: 'ldap://ldap',
        LDAP_SEARCH_BASE: 'dc=x',
        BASE_URL: 'https://smr.example',
        SESSION_SECRET: 'short',
      }),
    ).toThrow(/SESSION_SECRET must be at least 32/);
  });

  it('rejects values of the wrong kind with the variable name', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('the server process refuses to start in production and lists what is missing', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', LDAP_URL: 'ldap://ldap.example' },
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('cannot start');
    expect(result.stderr).toContain('DATABASE_URL is required');
    expect(result.stderr).toContain('SESSION_SECRET is required');
    expect(result.stderr).not.toContain('LDAP_URL is required');
  }, 60_000);
});
