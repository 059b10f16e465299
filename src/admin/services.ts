import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Directory } from '../directory/directory';
import type { AdminDeps } from './deps';
import { createHistoryService } from './history/store';
import { createImportService } from './import/service';
import { createAdminOverview } from './overview';
import { createPlatformService } from './platforms/service';
import { createRegisterService } from './register/store';
import { createRoleService } from './roles/service';
import { createUnitImportService } from './units/import';
import { createUnitService } from './units/service';
import { createWorkflowService } from './workflows/service';

/** What the administration's services are built from. */
export interface AdminInfra {
  config: Config;
  db: Knex;
  directory: Directory;
  clock: () => Date;
}

/** Builds every service of the administration once; adminRoutes receives them (issue 11 point 1). */
export function createAdminServices(infra: AdminInfra): AdminDeps {
  const { config, db, directory, clock } = infra;
  return {
    overview: createAdminOverview(db),
    units: createUnitService({ db, directory, clock }),
    unitImport: createUnitImportService({ db, clock }),
    platforms: createPlatformService({ db, clock }),
    workflows: createWorkflowService({ db, clock }),
    roles: createRoleService({ config, db }),
    history: createHistoryService(db),
    register: createRegisterService({ db, clock }),
    imports: createImportService({ db, directory, baseUrl: config.baseUrl, clock }),
  };
}
