import { BadUserInputError } from './errors.js';

/**
 * Relay cursor connections over PAI's PageNumber/PageSize paging.
 *
 * A cursor is the opaque encoding of an item's absolute offset in the list. A window
 * (start offset, count) is served exactly: the page size is chosen so that the window falls in
 * one upstream page whenever such a size exists, so `after` need not sit on a page boundary
 * and no item is skipped or repeated.
 */

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export interface Window {
  /** Offset of the first item wanted. */
  readonly start: number;
  /** Number of items wanted. */
  readonly count: number;
}

const CURSOR_PREFIX = 'o:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return undefined;
  const digits = text.slice(CURSOR_PREFIX.length);
  return /^\d{1,9}$/.test(digits) ? Number(digits) : undefined;
}

/** Validates `first` and `after` (named as the client sees them) before any upstream call. */
export function readWindow(args: { first?: number | null; after?: string | null }, path = ''): Window {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${path}first`, `must be between 0 and ${MAX_PAGE_SIZE}`, String(first));
  }
  let start = 0;
  if (args.after !== undefined && args.after !== null) {
    const offset = decodeCursor(args.after);
    if (offset === undefined) throw new BadUserInputError(`${path}after`, 'must be a cursor returned by this API', JSON.stringify(args.after.slice(0, 40)));
    start = offset + 1;
  }
  return { start, count: first };
}

export interface PagePlan {
  readonly pageSize: number;
  /** 1-based page numbers to fetch, in order (one whenever a single page fits the window). */
  readonly pages: readonly number[];
}

/** The cheapest way to cover a window with upstream pages of at most `maxPageSize` items. */
export function planPages(window: Window, maxPageSize: number): PagePlan {
  const { start, count } = window;
  // Nothing wanted but the total: the smallest page there is.
  if (count === 0) return { pageSize: 1, pages: [1] };
  const last = start + count - 1;
  for (let size = count; size <= maxPageSize; size += 1) {
    if (Math.floor(start / size) === Math.floor(last / size)) return { pageSize: size, pages: [Math.floor(start / size) + 1] };
  }
  // No single page fits: consecutive pages of one size (two when the window fits a page, more
  // when the upstream's pages are smaller than the window).
  const size = Math.min(count, maxPageSize);
  const pages: number[] = [];
  for (let p = Math.floor(start / size) + 1; p <= Math.floor(last / size) + 1; p += 1) pages.push(p);
  return { pageSize: size, pages };
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly totalCount: number;
}

/** Fetches exactly the items of `window`, page by page, stopping at the end of the list. */
export async function fetchWindow<T>(window: Window, maxPageSize: number, fetchPage: (pageNumber: number, pageSize: number) => Promise<Page<T>>): Promise<Page<T>> {
  const plan = planPages(window, maxPageSize);
  const items: T[] = [];
  let totalCount: number | undefined;
  for (const pageNumber of plan.pages) {
    const pageStart = (pageNumber - 1) * plan.pageSize;
    // The second page is fetched only when the list reaches it.
    if (totalCount !== undefined && pageStart >= totalCount) break;
    const page = await fetchPage(pageNumber, plan.pageSize);
    totalCount = page.totalCount;
    page.items.forEach((item, i) => {
      const offset = pageStart + i;
      if (offset >= window.start && offset < window.start + window.count) items.push(item);
    });
  }
  return { items, totalCount: totalCount ?? 0 };
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/**
 * A connection over one window. `edges` (one cursor encoded per item) is built only when a
 * client selects it: lists nested under lists (20 models' versions) mostly ask for `nodes`.
 */
class WindowConnection<T> implements Connection<T> {
  private built: Edge<T>[] | undefined;
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };

  constructor(
    private readonly start: number,
    readonly nodes: T[],
    readonly totalCount: number,
  ) {
    this.pageInfo = { hasNextPage: start + nodes.length < totalCount, endCursor: nodes.length ? encodeCursor(start + nodes.length - 1) : null };
  }

  get edges(): Edge<T>[] {
    return (this.built ??= this.nodes.map((node, i) => ({ cursor: encodeCursor(this.start + i), node })));
  }
}

export function toConnection<T>(window: Window, page: Page<T>): Connection<T> {
  return new WindowConnection(window.start, [...page.items], page.totalCount);
}
