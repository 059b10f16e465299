import type { AdminOverview } from './overview';
import type { HistoryService } from './history/store';
import type { ImportService } from './import/service';
import type { PlatformService } from './platforms/service';
import type { RegisterService } from './register/store';
import type { RoleService } from './roles/service';
import type { UnitImportService } from './units/import';
import type { UnitService } from './units/service';
import type { WorkflowService } from './workflows/service';

/**
 * What the administration's routers receive: its services, built once by createAdminServices
 * (src/admin/services.ts). No database: every query lives in a service or store of its feature
 * (test/architecture/routes-no-db.test.ts checks that no route file holds one).
 */
export interface AdminDeps {
  /** The index page: role groups the last directory sync found empty or missing. */
  overview: AdminOverview;
  units: UnitService;
  unitImport: UnitImportService;
  platforms: PlatformService;
  workflows: WorkflowService;
  roles: RoleService;
  history: HistoryService;
  register: RegisterService;
  imports: ImportService;
}
