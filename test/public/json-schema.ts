/**
 * A small JSON Schema checker for the subset the OpenAPI document uses (type incl. arrays
 * of types, properties, required, additionalProperties: false, items, enum, const,
 * pattern, minimum, maxLength, format uri/date-time, oneOf, local $ref). Returns the
 * problems found, each with its JSON path; an empty list means valid.
 */
type Schema = Record<string, unknown>;

export function validate(value: unknown, schema: Schema, root: Schema, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], root);
    if (!target) return [`${at}: unresolved $ref ${schema.$ref}`];
    return validate(value, target as Schema, root, at);
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as Schema[]).filter((s) => validate(value, s, root, at).length === 0);
    return matching.length === 1 ? [] : [`${at}: matches ${matching.length} of oneOf`];
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t)))
      return [`${at}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && schema.const !== value) problems.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`${at}: does not match ${schema.pattern}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      problems.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.format === 'uri' && !/^https?:\/\/[^\s]+$/.test(value)) problems.push(`${at}: not a URI`);
    if (schema.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.test(value)) {
      problems.push(`${at}: not a date-time`);
    }
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum)
    problems.push(`${at}: below minimum`);
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => problems.push(...validate(v, schema.items as Schema, root, `${at}[${i}]`)));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) problems.push(`${at}: missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) problems.push(...validate(v, props[key], root, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}: unexpected property ${key}`);
    }
  }
  return problems;
}

function typeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
