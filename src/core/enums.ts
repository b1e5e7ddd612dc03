import type { Logger } from './logger.js';

export const OrderDirection = { ASC: 'ASC', DESC: 'DESC' } as const;

/** Who can see an object in its workspace; PAI uses the GraphQL names as they are. */
export enum Accessibility {
  PRIVATE = 'PRIVATE',
  PUBLIC = 'PUBLIC',
}

/**
 * The form in which PAI spellings are compared: lower case, without spaces, `_` or `-`.
 * PAI spells one value several ways (`Pytorch` and `PyTorch`, `Running` and `running`,
 * `Keras H5`); all of them, and the GraphQL name (`KERAS_H5`), meet here.
 */
export const normaliseEnumSpelling = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * Reads PAI's strings as the values of the schema's enums. One per server (it remembers which
 * unknown values it has already reported), handed to resolvers in the context.
 */
export interface EnumReader {
  /**
   * `raw` as the value of `values` it spells (see normaliseEnumSpelling), or null when PAI
   * sent nothing or a value this gateway does not know yet; an unknown value is logged at
   * warn level the first time it is seen. `name` is the GraphQL enum's name, for that log.
   */
  read<E extends Record<string, string>>(name: string, values: E, raw: string | null | undefined): E[keyof E] | null;
}

/** How many distinct unknown values are reported before the reader stops remembering more. */
const MAX_REPORTED = 1000;

export function createEnumReader(opts: { logger: Pick<Logger, 'warn'> }): EnumReader {
  const tables = new WeakMap<object, Map<string, string>>();
  const reported = new Set<string>();

  const tableOf = (name: string, values: Record<string, string>): Map<string, string> => {
    let table = tables.get(values);
    if (!table) {
      table = new Map();
      for (const [graphqlName, upstream] of Object.entries(values)) {
        for (const spelling of [graphqlName, upstream]) {
          const key = normaliseEnumSpelling(spelling);
          const taken = table.get(key);
          if (taken !== undefined && taken !== upstream) throw new Error(`${name}: ${taken} and ${upstream} read the same once case and separators are ignored`);
          table.set(key, upstream);
        }
      }
      tables.set(values, table);
    }
    return table;
  };

  return {
    read<E extends Record<string, string>>(name: string, values: E, raw: string | null | undefined): E[keyof E] | null {
      if (raw === null || raw === undefined || raw.trim() === '') return null;
      const known = tableOf(name, values).get(normaliseEnumSpelling(raw));
      if (known !== undefined) return known as E[keyof E];
      const key = `${name}\u0000${raw}`;
      // Bounded, so an upstream that sends ever new values cannot grow memory without end.
      if (!reported.has(key) && reported.size < MAX_REPORTED) {
        reported.add(key);
        opts.logger.warn(
          { enum: name, value: raw.length > 200 ? `${raw.slice(0, 200)}...` : raw },
          `PAI sent a ${name} value this gateway does not know; the field reads null and its *Raw field holds the value`,
        );
      }
      return null;
    },
  };
}
