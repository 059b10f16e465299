import type { FieldError } from '../web/forms';
import type { CsvProblem } from './csv';

/** File-level CSV problems as errors of the form's CSV field. */
export function csvProblemErrors(problems: CsvProblem[], fieldName = 'csv'): FieldError[] {
  return problems.map((p): FieldError => {
    switch (p.code) {
      case 'empty':
        return { field: fieldName, message: 'admin.csv.empty' };
      case 'encoding':
        return { field: fieldName, message: 'admin.csv.encoding' };
      case 'mojibake':
        return { field: fieldName, message: 'admin.csv.mojibake', params: { sample: p.sample } };
      case 'too_large':
        return { field: fieldName, message: 'admin.csv.tooLarge', params: { max: p.maxMb } };
      case 'too_many_rows':
        return { field: fieldName, message: 'admin.csv.tooManyRows', params: { max: p.max, rows: p.rows } };
      case 'malformed':
        return { field: fieldName, message: 'admin.csv.malformed', params: { line: p.line } };
      case 'missing_columns':
        return { field: fieldName, message: 'admin.csv.missingColumns', params: { columns: p.columns } };
      case 'unknown_columns':
        return { field: fieldName, message: 'admin.csv.unknownColumns', params: { columns: p.columns } };
      case 'duplicate_columns':
        return { field: fieldName, message: 'admin.csv.duplicateColumns', params: { columns: p.columns } };
    }
  });
}
