/**
 * A remark plugin that drops the line breaks inside Chinese sentences. A source line break is
 * rendered as a space, which is right between English words and wrong between two Chinese
 * characters (`本站点、 \`@regtrail/core\``, `问题。 请参阅`). The rule is CSS Text 3's segment
 * break transformation for East Asian wide characters, plus full-width punctuation, which carries
 * its own spacing: a break goes when both sides are wide, and any white space next to full-width
 * punctuation goes. A break between Chinese and Latin text stays a space, as the zh strings
 * write it.
 *
 * It looks across inline nodes (a break at the end of a text node before inline code or a link),
 * which remark-join-cjk-lines, the published plugin for this, does not; the MDX sources keep their
 * line breaks.
 */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

const WIDE = /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const FULL_WIDTH_PUNCTUATION = /[\u3000-\u303f\uff00-\uffef]/u;

const isPunctuation = (c: string | undefined) => c !== undefined && FULL_WIDTH_PUNCTUATION.test(c);
const isWide = (c: string | undefined) => c !== undefined && WIDE.test(c);

/**
 * Whether a run of white space goes: a line break between two wide characters, and any white
 * space next to full-width punctuation (`CLI。 请参阅`, `本站点、 \`core\``).
 */
const drops = (space: string, before: string | undefined, after: string | undefined) =>
  isPunctuation(before) || isPunctuation(after) || (space.includes('\n') && isWide(before) && isWide(after));

const hasText = (n: MdNode) => n.type === 'text' || n.type === 'inlineCode';

function edgeChar(node: MdNode | undefined, end: 'first' | 'last'): string | undefined {
  if (!node) return undefined;
  if (hasText(node)) return end === 'first' ? node.value?.[0] : node.value?.at(-1);
  const kids = node.children ?? [];
  return edgeChar(end === 'first' ? kids[0] : kids.at(-1), end);
}

function joinBreaks(parent: MdNode): void {
  const kids = parent.children ?? [];
  kids.forEach((node, i) => {
    if (node.type === 'text' && node.value && /\s/.test(node.value)) {
      const before = edgeChar(kids[i - 1], 'last');
      const after = edgeChar(kids[i + 1], 'first');
      node.value = node.value.replace(/\s+/g, (space, offset: number, text: string) => {
        const b = offset > 0 ? text[offset - 1] : before;
        const a = offset + space.length < text.length ? text[offset + space.length] : after;
        return drops(space, b, a) ? '' : space;
      });
    }
    if (node.children) joinBreaks(node);
  });
}

export default function remarkCjkBreaks() {
  return (tree: MdNode) => joinBreaks(tree);
}
