/** Shared by the deployment tests: packaging without an account, reading the template. */

/** No credentials, no profile: packaging must not need an AWS account. */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

type Json = Record<string, unknown>;

/** Renders CloudFormation intrinsics as text: `Ref X` -> `${X}`, `GetAtt X.Arn` -> `${X.Arn}`. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Json;
  if ('Ref' in node) return `\${${String(node.Ref)}}`;
  if ('Fn::GetAtt' in node) return `\${${(node['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::Sub' in node) return String(node['Fn::Sub']);
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  if ('Fn::Select' in node) {
    const [index, list] = node['Fn::Select'] as [number, unknown];
    const items = renderList(list);
    if (index >= items.length) throw new Error(`Fn::Select index ${index} is past ${JSON.stringify(items)}`);
    return items[index]!;
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

export function renderList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(render);
  const node = value as Json;
  if ('Fn::Split' in node) {
    const [separator, source] = node['Fn::Split'] as [string, unknown];
    return render(source).split(separator);
  }
  throw new Error(`cannot render a list from ${JSON.stringify(value)}`);
}
