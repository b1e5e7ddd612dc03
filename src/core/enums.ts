/**
 * An upstream string as one of an enum's values, or null when PAI sends a value this gateway
 * does not know yet (a new format, say): the field reads as null instead of failing.
 */
export function knownOrNull<E extends Record<string, string>>(enumObject: E, value: string | null | undefined): E[keyof E] | null {
  if (value === null || value === undefined) return null;
  return (Object.values(enumObject) as string[]).includes(value) ? (value as E[keyof E]) : null;
}

export const OrderDirection = { ASC: 'ASC', DESC: 'DESC' } as const;

/** Who can see an object in its workspace; PAI uses the GraphQL names as they are. */
export enum Accessibility {
  PRIVATE = 'PRIVATE',
  PUBLIC = 'PUBLIC',
}
