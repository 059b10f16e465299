import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Directory } from '../directory/directory';

export interface AdminDeps {
  config: Config;
  db: Knex;
  directory: Directory;
  clock: () => Date;
}
