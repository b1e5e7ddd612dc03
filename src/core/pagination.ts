import { cursorToOffset, offsetToCursor } from 'graphql-relay';
import { BadUserInputError } from './errors.js';

/**
 * Relay cursor connections over PAI's PageNumber/PageSize paging.
 *
 * A cursor is the opaque encoding of an item's absolute offset in the list (graphql-relay's
 * `offsetToCursor`, the encoding Relay's own array connections use). A window (start offset,
 * count) is served exactly: the page size is chosen so that the window falls in one upstream
 * page whenever such a size exists, so `after` and `before` need not sit on a page boundary
 * and no item is skipped or repeated. Every upstream list reports its total, so a window can
 * also be counted back from the end of the list (`last` without `before`).
 */

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export interface Window {
  /** Offset of the first item wanted (with `fromEnd`: the lowest offset allowed). */
  readonly start: number;
  /** Number of items wanted. */
  readonly count: number;
  /** The last `count` items from `start` to the end of the list, wherever that turns out to be. */
  readonly fromEnd?: true;
}

/** The connection arguments every list field takes. */
export interface WindowArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}

/** What a domain's list reads take: the window, and the field's own filter and order. */
export interface ListArgs extends WindowArgs {
  filter?: unknown;
  orderBy?: unknown;
}

/** Largest offset a cursor may carry (far past any PAI list). */
const MAX_OFFSET = 999_999_999;
/** Longer strings are not cursors of this API; refused before decoding. */
const MAX_CURSOR_LENGTH = 64;

export const encodeCursor = (offset: number): string => offsetToCursor(offset);

/** The offset a cursor encodes, or undefined for anything this API did not issue. */
export function decodeCursor(cursor: string): number | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH) return undefined;
  const offset = cursorToOffset(cursor);
  // cursorToOffset reads any prefix of digits (`...:12abc` is 12): only a cursor that encodes
  // back to itself is one this API issued.
  if (Number.isSafeInteger(offset) && offset >= 0 && offset <= MAX_OFFSET && offsetToCursor(offset) === cursor) return offset;
  return decodeLegacyCursor(cursor);
}

/**
 * Cursors issued before the gateway used graphql-relay's encoding (`o:<offset>`, base64url),
 * still accepted so a client paging across an upgrade is not refused.
 */
function decodeLegacyCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = /^o:(\d{1,9})$/.exec(text)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

function readCount(value: number | null | undefined, name: string, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) throw new BadUserInputError(`${path}${name}`, `must be between 0 and ${MAX_PAGE_SIZE}`, String(value));
  return value;
}

function readCursor(value: string | null | undefined, name: string, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const offset = decodeCursor(value);
  if (offset === undefined) throw new BadUserInputError(`${path}${name}`, 'must be a cursor returned by this API', JSON.stringify(value.slice(0, 40)));
  return offset;
}

/**
 * Validates `first`, `after`, `last` and `before` (named as the client sees them) before any
 * upstream call, and turns them into the window the Relay specification's algorithm selects:
 * the items after `after` and before `before`, then the first `first` or the last `last` of
 * those. `first` and `last` together are refused (the specification discourages it and no
 * client needs it); with neither, `first` is 10.
 */
export function readWindow(args: WindowArgs, path = ''): Window {
  const first = readCount(args.first, 'first', path);
  const last = readCount(args.last, 'last', path);
  if (first !== undefined && last !== undefined) throw new BadUserInputError(`${path}last`, 'cannot be given together with `first`: page forward with `first`/`after` or backward with `last`/`before`', String(last));
  const after = readCursor(args.after, 'after', path);
  const before = readCursor(args.before, 'before', path);
  const lower = after === undefined ? 0 : after + 1;
  if (before === undefined) return last === undefined ? { start: lower, count: first ?? DEFAULT_PAGE_SIZE } : { start: lower, count: last, fromEnd: true };
  const upper = Math.max(lower, before);
  if (last !== undefined) {
    const start = Math.max(lower, upper - last);
    return { start, count: upper - start };
  }
  return { start: lower, count: Math.min(first ?? DEFAULT_PAGE_SIZE, upper - lower) };
}

/** A window counted from the end, placed in a list of `totalCount` items (others unchanged). */
export function resolveWindow(window: Window, totalCount: number): { start: number; count: number } {
  if (!window.fromEnd) return window;
  const start = Math.max(window.start, totalCount - window.count);
  return { start, count: Math.max(0, totalCount - start) };
}

/** The items of `window` in a list held whole in memory, as a page. */
export function sliceWindow<T>(items: readonly T[], window: Window): Page<T> {
  const { start, count } = resolveWindow(window, items.length);
  return { items: items.slice(start, start + count), totalCount: items.length, start };
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
  /** Offset of the first item, when the window was counted from the end (else the window's start). */
  readonly start?: number;
}

/**
 * Fetches exactly the items of `window`, page by page, stopping at the end of the list. A
 * window counted from the end first reads page 1 with the window's size to learn the total:
 * a list no longer than the window is then already whole (one call), a longer one costs the
 * window's pages on top.
 */
export async function fetchWindow<T>(window: Window, maxPageSize: number, fetchPage: (pageNumber: number, pageSize: number) => Promise<Page<T>>): Promise<Page<T>> {
  if (!window.fromEnd) return fetchPlanned(window, maxPageSize, fetchPage);
  const probe = await fetchPage(1, Math.max(1, Math.min(window.count, maxPageSize)));
  const { start, count } = resolveWindow(window, probe.totalCount);
  if (start + count <= probe.items.length) return { items: probe.items.slice(start, start + count), totalCount: probe.totalCount, start };
  const page = await fetchPlanned({ start, count }, maxPageSize, fetchPage);
  return { ...page, start };
}

async function fetchPlanned<T>(window: Window, maxPageSize: number, fetchPage: (pageNumber: number, pageSize: number) => Promise<Page<T>>): Promise<Page<T>> {
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

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * The connection of a fetched window. Both flags come from offsets and the upstream's total,
 * whichever direction the client pages in (the specification lets a server say `true` when it
 * knows cheaply): `hasPreviousPage` when items precede the page, `hasNextPage` when items
 * follow it. `edges` (one cursor encoded per item) and `pageInfo` (two cursors) are built only
 * when a client selects them: lists nested under lists (20 models' versions) mostly ask for
 * `nodes` alone.
 */
class WindowConnection<T> implements Connection<T> {
  private builtEdges: Edge<T>[] | undefined;
  private builtPageInfo: PageInfo | undefined;

  constructor(
    private readonly start: number,
    readonly nodes: T[],
    readonly totalCount: number,
  ) {}

  get edges(): Edge<T>[] {
    return (this.builtEdges ??= this.nodes.map((node, i) => ({ cursor: encodeCursor(this.start + i), node })));
  }

  get pageInfo(): PageInfo {
    if (this.builtPageInfo) return this.builtPageInfo;
    const { start, nodes, totalCount } = this;
    const empty = nodes.length === 0;
    return (this.builtPageInfo = {
      hasNextPage: start + nodes.length < totalCount,
      hasPreviousPage: start > 0 && totalCount > 0,
      startCursor: empty ? null : encodeCursor(start),
      endCursor: empty ? null : encodeCursor(start + nodes.length - 1),
    });
  }
}

export function toConnection<T>(window: Window, page: Page<T>): Connection<T> {
  return new WindowConnection(page.start ?? window.start, [...page.items], page.totalCount);
}
