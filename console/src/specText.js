// A service spec as the editor shows it, in JSON or YAML, and what an apply would change.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { diffLines } from 'diff';

export const FORMATS = ['json', 'yaml'];

export function format(spec, fmt) {
  return fmt === 'yaml' ? stringifyYaml(spec) : `${JSON.stringify(spec, null, 2)}\n`;
}

/** The edited text as a spec object, or an Error saying where the text is wrong. */
export function parse(text, fmt) {
  try {
    const value = fmt === 'yaml' ? parseYaml(text) : JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return new Error('a service spec is an object: {"discoveryName": …, "clientAliases": […], …}');
    }
    return value;
  } catch (e) {
    return new Error(`not valid ${fmt.toUpperCase()}: ${e.message}`);
  }
}

/**
 * What applying {@code edited} over {@code stored} changes, line by line, both shown as JSON so that
 * the diff is about the spec and not about the notation: [{kind: 'add'|'remove'|'same', text}].
 */
export function specDiff(stored, edited) {
  return diffLines(format(stored, 'json'), format(edited, 'json')).flatMap((part) => {
    const kind = part.added ? 'add' : part.removed ? 'remove' : 'same';
    return part.value.replace(/\n$/, '').split('\n').map((text) => ({ kind, text }));
  });
}
