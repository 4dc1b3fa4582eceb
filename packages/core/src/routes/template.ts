/**
 * Path templates of content/catalog/routes.yaml: `/v2/{name:repository}/manifests/{reference:reference}`.
 * Compiled to one anchored regular expression each; the loader and the matcher share this code,
 * so what the loader proves about a template holds for the matcher. No Node.js built-ins.
 */

/** The kinds of path parameter, each with the raw text it matches and the values it accepts. */
const PARAM_KINDS = {
  /** One path segment, percent-decoded. */
  segment: { raw: '[^/]+', sample: 'x1', valid: (v: string) => v !== '' },
  /** One percent-encoded segment holding a whole image reference. */
  image: { raw: '[^/]+', sample: encodeURIComponent('us.icr.io/ns1/repo1:tag1'), valid: (v: string) => v !== '' },
  /** A repository path of the registry (OCI distribution's name grammar): one or more segments. */
  repository: { raw: '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*', sample: 'ns1/repo1', valid: () => true },
  /** A tag or a digest. */
  reference: { raw: '[^/]+', sample: 'tag1', valid: (v: string) => TAG.test(v) || DIGEST.test(v) },
  /** A digest: algorithm:encoded. */
  digest: { raw: '[^/]+', sample: `sha256:${'0'.repeat(64)}`, valid: (v: string) => DIGEST.test(v) },
} as const;

type ParamKind = keyof typeof PARAM_KINDS;

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export interface CompiledTemplate {
  readonly regex: RegExp;
  /** Parameter names and kinds, in the order of the template. */
  readonly params: readonly { readonly name: string; readonly kind: ParamKind }[];
  /** A path the template matches, made of a sample value for each parameter. */
  readonly sample: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a template, or says in one line what is wrong with it. */
export function compileTemplate(template: string): CompiledTemplate | string {
  if (!template.startsWith('/')) return 'a path template starts with /';
  if (/[?#\s%]/.test(template)) return 'a path template has no query, fragment, white space or percent-encoding';
  let source = '^';
  let sample = '';
  const params: { name: string; kind: ParamKind }[] = [];
  const parts = template.split(/(\{[^{}]*\})/);
  for (const part of parts) {
    if (part.startsWith('{')) {
      const m = /^\{([A-Za-z][A-Za-z0-9_]*)(?::([a-z]+))?\}$/.exec(part);
      if (!m) return `invalid parameter ${part}: expected {name} or {name:kind}`;
      const name = m[1]!;
      const kind = (m[2] ?? 'segment') as ParamKind;
      if (!Object.hasOwn(PARAM_KINDS, kind)) return `unknown parameter kind ${kind} in ${part}; kinds are ${Object.keys(PARAM_KINDS).join(', ')}`;
      if (params.some((p) => p.name === name)) return `parameter ${name} appears twice`;
      params.push({ name, kind });
      source += `(${PARAM_KINDS[kind].raw})`;
      sample += PARAM_KINDS[kind].sample;
    } else {
      if (/[{}]/.test(part)) return `unbalanced braces in ${JSON.stringify(template)}`;
      source += escape(part);
      sample += part;
    }
  }
  // A parameter fills a whole segment: in `/a{b}` or `{a}{b}` the parts could not be told apart.
  if (/[^/]\{|\}[^/]/.test(template)) return 'a parameter fills a whole path segment';
  return { regex: new RegExp(`${source}$`), params, sample };
}

/**
 * The parameters of a path the template matches, decoded and checked by kind, or undefined when
 * it does not match (or a value is not of its kind).
 */
export function matchTemplate(t: CompiledTemplate, path: string): Record<string, string> | undefined {
  const m = t.regex.exec(path);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < t.params.length; i++) {
    const { name, kind } = t.params[i]!;
    let value = m[i + 1]!;
    if (kind !== 'repository') {
      try {
        value = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
    if (!PARAM_KINDS[kind].valid(value)) return undefined;
    out[name] = value;
  }
  return out;
}
