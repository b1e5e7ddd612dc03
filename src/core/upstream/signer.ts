import type { Credentials } from '../config.js';
import type { HttpMethod } from './operation.js';

/** The request exactly as it will be sent; a signer adds headers and changes nothing else. */
export interface OutgoingRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Headers;
  /** The body bytes as sent (undefined when there is none). */
  readonly body: string | undefined;
  readonly action: string;
  readonly version: string;
}

/** The one place credentials are applied to outgoing requests. */
export interface Signer {
  readonly kind: string;
  sign(request: OutgoingRequest): void | Promise<void>;
}

/** The seeds' mode: `Authorization: Bearer <DASHSCOPE_API_KEY>` on every request. */
export function createBearerSigner(credentials: Extract<Credentials, { kind: 'bearer' }>): Signer {
  return {
    kind: 'bearer',
    sign(request) {
      request.headers.set('authorization', `Bearer ${credentials.apiKey.reveal()}`);
    },
  };
}

export function createSigner(credentials: Credentials): Signer {
  switch (credentials.kind) {
    case 'bearer':
      return createBearerSigner(credentials);
  }
}
