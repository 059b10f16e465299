import type { Knex } from 'knex';
import * as m0001 from './20261126_0001_foundation';
import * as m0002 from './20261126_0002_register_and_workflow';
import * as m0003 from './20261126_0003_reference_data';
import * as m0004 from './20261126_0004_register_version';
import * as m0005 from './20261126_0005_people';
import * as m0006 from './20261126_0006_admin_uploads';
import * as m0007 from './20261126_0007_register_notify';
import * as m0008 from './20261201_0008_role_recipients';
import * as m0010 from './20261201_0010_platform_short_hosts';
import * as m0011 from './20261201_0011_guideline_texts';
import * as m0012 from './20261212_0012_account_reports';
import * as m0013 from './20261213_0013_platform_reassessments';
import * as m0014 from './20261214_0014_deciders_desk';

/**
 * Every migration, in order. A static list works the same under tsx, vitest and compiled
 * JavaScript (knex cannot require .ts files from a folder under vitest).
 */
const migrations: Record<string, Knex.Migration> = {
  '20261126_0001_foundation': m0001,
  '20261126_0002_register_and_workflow': m0002,
  '20261126_0003_reference_data': m0003,
  '20261126_0004_register_version': m0004,
  '20261126_0005_people': m0005,
  '20261126_0006_admin_uploads': m0006,
  '20261126_0007_register_notify': m0007,
  '20261201_0008_role_recipients': m0008,
  '20261201_0010_platform_short_hosts': m0010,
  '20261201_0011_guideline_texts': m0011,
  '20261212_0012_account_reports': m0012,
  '20261213_0013_platform_reassessments': m0013,
  '20261214_0014_deciders_desk': m0014,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(migrations)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = migrations[name];
    return migration ? Promise.resolve(migration) : Promise.reject(new Error(`Unknown migration ${name}`));
  },
};
