/**
 * Settings given per upstream action as `Action=value` pairs with `*` wildcards, e.g.
 * `PAI_QPS_LIMITS=*=100,Create*=10` or `PAI_CACHE_TTLS=Get*=5,List*=5,GetTensorboard=1`.
 */
export interface ActionRule {
  readonly pattern: string;
  readonly value: number;
}

/**
 * Parses comma-separated `Action=number` entries; `check` says whether a value is allowed and
 * `rule` describes the allowed values for the one-line Error naming a bad entry.
 */
export function parseActionRules(text: string, check: (value: number) => boolean, rule: string): ActionRule[] {
  const rules = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^([A-Za-z0-9*]{1,128})=(\d{1,9}(?:\.\d{1,6})?)$/.exec(entry);
      const value = match ? Number(match[2]) : NaN;
      if (!match || !check(value)) throw new Error(`"${entry.length > 80 ? `${entry.slice(0, 80)}...` : entry}" must be Action=value with an action name (wildcards *) and ${rule}`);
      return { pattern: match[1]!, value };
    });
  if (!rules.length) throw new Error('must hold at least one Action=value entry');
  return rules;
}

const patternRegExp = (pattern: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** The rule for an action: an exact name wins, then the pattern with the most literal characters. */
export function ruleFor<R extends { readonly pattern: string }>(rules: readonly R[], action: string): R | undefined {
  let best: { rule: R; score: number } | undefined;
  for (const rule of rules) {
    if (!patternRegExp(rule.pattern).test(action)) continue;
    const score = rule.pattern.includes('*') ? rule.pattern.replace(/\*/g, '').length : Number.MAX_SAFE_INTEGER;
    if (!best || score > best.score) best = { rule, score };
  }
  return best?.rule;
}
