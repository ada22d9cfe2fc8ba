/** The parts of a JSON Schema node the reference shows. */
interface SchemaNode {
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  description?: string;
  type?: string;
  const?: unknown;
  enum?: unknown[];
  oneOf?: unknown[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  default?: unknown;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  'x-secret'?: boolean;
}

interface Row {
  path: string;
  required: boolean;
  rule: string;
  description: string;
}

/**
 * The connector configuration reference (docs/connector-config.md) rendered from the JSON
 * Schema itself, so the documentation cannot drift from what the loader enforces.
 */
export function renderConfigReference(document: Record<string, unknown>): string {
  const schema = document as SchemaNode;
  const rows: Row[] = [];
  walk(schema, schema, '', rows);
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const lines = rows.map(
    (row) =>
      `| \`${row.path}\` | ${row.required ? 'yes' : 'no'} | ${escape(row.rule)} | ${escape(row.description)} |`,
  );
  return [
    '# Connector configuration reference',
    '',
    '<!-- Generated from schemas/config/connector/v1.json by `npm run gen:config-docs`; do not edit. -->',
    '',
    schema.description ?? '',
    '',
    '| field | required | rule | meaning |',
    '| --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
}

function walk(root: SchemaNode, node: SchemaNode, path: string, rows: Row[]): void {
  const resolved = resolve(root, node);
  const required = new Set(resolved.required ?? []);
  for (const [name, child] of Object.entries(resolved.properties ?? {})) {
    const childPath = path === '' ? name : `${path}.${name}`;
    const target = resolve(root, child);
    rows.push({
      path: childPath,
      required: required.has(name),
      rule: ruleOf(target),
      description: child.description ?? target.description ?? '',
    });
    if (target.items) walk(root, target.items, `${childPath}[]`, rows);
    else walk(root, target, childPath, rows);
  }
}

/** Follows a local `#/$defs/...` reference; other references are shown by name. */
function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  const definition = ref?.startsWith('#/$defs/') ? root.$defs?.[ref.slice(8)] : undefined;
  return definition ? resolve(root, definition) : node;
}

function ruleOf(node: SchemaNode): string {
  if (typeof node.$ref === 'string')
    return `see ${node.$ref.replace(/^urn:threadline:schema:/, '')}`;
  if (node['x-secret'] === true) return 'secret: give as ${ENV_VAR}';
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum))
    return `one of ${node.enum.map((value) => `\`${String(value)}\``).join(', ')}`;
  if (Array.isArray(node.oneOf)) return 'JSONata text, or `{ file: <path>.jsonata }`';
  const parts = [node.type ?? 'any'];
  if (node.type === 'array') parts[0] = 'list';
  if (node.minimum !== undefined) parts.push(`>= ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) parts.push(`<= ${node.maximum}`);
  if (node.default !== undefined) parts.push(`default ${JSON.stringify(node.default)}`);
  if (node.pattern !== undefined) parts.push(`pattern \`${node.pattern}\``);
  return parts.join(', ');
}
