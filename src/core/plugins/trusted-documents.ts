import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { z } from 'zod';
import { ErrorCode, GatewayError } from '../errors.js';
import { sha256 } from '../auth.js';

/**
 * Trusted documents. With a manifest (PERSISTED_DOCUMENTS_FILE, Apollo's
 * persisted-query-manifest format or a plain `{ sha256: document }` map), clients may send
 * only a document's hash; with PERSISTED_DOCUMENTS_ONLY=true every other document is refused,
 * which is what production frontends want: nobody can run a query the frontend never shipped.
 * Automatic persisted queries (APQ) work as well, but only for documents in the manifest
 * when the manifest is enforced.
 */

const ApolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string(), body: z.string() })),
});
const HashMap = z.record(z.string(), z.string());

/** Reads a manifest into hash -> document, checking every hash against its document. */
export function readManifest(path: string): Map<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'not valid JSON'}`, { cause: err });
  }
  const apollo = ApolloManifest.safeParse(json);
  const map = HashMap.safeParse(json);
  if (!apollo.success && !map.success) throw new Error(`${path} must be an apollo-persisted-query-manifest or a { "sha256": "document" } map`);
  const entries: (readonly [string, string])[] = apollo.success ? apollo.data.operations.map((o) => [o.id, o.body] as const) : Object.entries(map.data!);
  const manifest = new Map<string, string>();
  for (const [id, body] of entries) {
    if (sha256(body) !== id) throw new Error(`${path}: the document of ${id.slice(0, 12)}... does not hash to its id`);
    manifest.set(id, body);
  }
  return manifest;
}

export function createTrustedDocumentsPlugin(options: { manifest: ReadonlyMap<string, string>; only: boolean }): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const ext = request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
      const hash = typeof ext?.persistedQuery?.sha256Hash === 'string' ? ext.persistedQuery.sha256Hash : undefined;
      // A hash from the manifest stands for its document.
      if (hash && request.query === undefined && options.manifest.has(hash)) request.query = options.manifest.get(hash);
      return {
        // Refused here rather than on resolving the source, because Apollo answers errors thrown
        // from this hook with their HTTP status; parsing and validation cost no upstream call.
        async didResolveOperation({ queryHash }) {
          if (options.only && !options.manifest.has(queryHash)) {
            throw new GatewayError(ErrorCode.PERSISTED_DOCUMENT_REQUIRED, 'This gateway runs only trusted documents: send the sha256Hash of a document from its manifest.', { http: { status: 400 } });
          }
        },
      };
    },
  };
}
