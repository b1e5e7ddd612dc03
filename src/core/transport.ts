import { maxHeaderSize, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorCodes, type FastifyError, type FastifyHttpOptions, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/**
 * What one HTTP request may cost the gateway before Apollo sees it, and how refusals look.
 * Every refusal at this level (a timeout, a body too large, a content type nobody parses,
 * JSON that does not parse, a header section too large, an unknown route) answers in the
 * GraphQL-over-HTTP shape `{"errors":[{"message","extensions":{"code"}}]}` with its 4xx
 * status, and costs no upstream call.
 */

export type TransportLimits = Config['transport'];

/** `extensions.code` per status of a transport-level refusal. */
export const TRANSPORT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'BAD_REQUEST',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'SERVICE_UNAVAILABLE',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
};

/** Errors Node's HTTP parser reports, by code: status and message. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, ''],
  HPE_HEADER_OVERFLOW: [431, `The request line and headers are larger than ${maxHeaderSize} bytes; send long operations in a POST body.`],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'The chunk extensions of the request body are too large.'],
};

const errorBody = (message: string, code: string) => JSON.stringify({ errors: [{ message, extensions: { code } }] });

function messages(limits: TransportLimits) {
  const timeout = `The request was not received in time: headers must arrive within ${limits.headersTimeoutMs} ms and the whole request within ${limits.requestTimeoutMs} ms.`;
  return {
    timeout,
    byCode: {
      FST_ERR_CTP_BODY_TOO_LARGE: `The request body is larger than ${limits.maxBodyBytes} bytes, the most this gateway accepts.`,
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the operation as application/json (GraphQL over HTTP) or as a GET query string; this content type is not accepted.',
      FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty: send a JSON object such as {"query": "{ __typename }"}.',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body does not have the length its Content-Length header declares.',
      FST_ERR_BAD_URL: 'The request URL is not valid.',
    } as Readonly<Record<string, string>>,
  };
}

/**
 * Options for the Fastify constructor: the body cap and Node's header and request read
 * timeouts, which answer 408 through `clientErrorHandler`.
 */
export function createTransportOptions(
  limits: TransportLimits,
  logger: Logger,
): Pick<FastifyHttpOptions<Server>, 'bodyLimit' | 'requestTimeout' | 'http' | 'clientErrorHandler' | 'frameworkErrors' | 'return503OnClosing'> {
  const { timeout, byCode } = messages(limits);
  return {
    bodyLimit: limits.maxBodyBytes,
    // Requests arriving while the server drains get a GraphQL-shaped 503 (installTransportRules).
    return503OnClosing: false,
    // Fastify copies its own requestTimeout onto the server after creating it, so it is set
    // there as well as in `http`, where Node checks it against headersTimeout.
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node compares the deadlines only this often (30 s by default), so a 3 s timeout could
      // hold a slow client for 33 s; a quarter of the shorter timeout keeps the overrun small.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
    },
    // Node's HTTP parser raises these before there is a request to reply to: answer on the socket.
    clientErrorHandler(error, socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, message] = CLIENT_ERRORS[error.code] ?? [400, 'The request is not valid HTTP/1.1.'];
      // Only the code: the error's rawPacket holds the raw request, Authorization header included.
      logger.info({ code: error.code, status }, 'client connection refused');
      // As Node itself does: write only when no response has started on this socket.
      const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
      if (socket.writable && !inFlight?.headersSent) {
        const body = errorBody(status === 408 ? timeout : message, TRANSPORT_ERROR_CODES[status]!);
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      }
      socket.destroy();
    },
    frameworkErrors(error, _request, reply) {
      void sendError(reply, 400, byCode[error.code] ?? 'The request is not valid.');
    },
  };
}

const sendError = (reply: FastifyReply, status: number, message: string) =>
  reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(message, TRANSPORT_ERROR_CODES[status] ?? 'BAD_REQUEST'));

/**
 * Installs the transport rules on the root instance: one error handler for everything Fastify
 * raises before Apollo, the not-found answer, the body cap for bodies nobody parses, and
 * closing connections whose body was left unread.
 */
export function installTransportRules(app: FastifyInstance, limits: TransportLimits): void {
  const { byCode } = messages(limits);

  // Only JSON is parsed (GraphQL over HTTP); text/plain would only be read to be refused.
  app.removeContentTypeParser('text/plain');

  // Fastify checks Content-Length only for bodies it parses; a declared oversized body of any
  // type or method is refused before a byte of it is read. (After onRequest, so CORS headers
  // are on the refusal and a browser can read it.)
  // (Callback-style hooks here: an async hook costs a promise and a microtask turn per request.)
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (Number(request.headers['content-length']) > limits.maxBodyBytes) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    done(null, payload);
  });

  // A body answered without being read (unsupported type, GET, refused early) would otherwise be
  // drained to its end by Node to keep the connection alive: a client could stream forever.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete) reply.header('connection', 'close');
    done(null, payload);
  });

  // While the server drains (SIGTERM), a request arriving on a kept-alive connection is refused
  // before any work, in the GraphQL shape, and its connection closed so the client's next try
  // goes to another replica.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void sendError(reply.header('connection', 'close'), 503, 'The gateway is shutting down: send the request again (another replica will answer).');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.info({ code: error.code, status }, 'request refused before GraphQL');
      return sendError(reply, status, (error.code && byCode[error.code]) || `The request was refused (HTTP ${status}).`);
    }
    request.log.error({ err: error }, 'unexpected error before GraphQL');
    return reply
      .code(status >= 500 && status < 600 ? status : 500)
      .type('application/json; charset=utf-8')
      .send(errorBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'));
  });

  // A path served with other methods answers 405 with the ones it takes (as Apollo does for a GET
  // mutation, code BAD_REQUEST); anything else 404.
  const METHODS = ['GET', 'HEAD', 'POST'] as const;
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const allowed = METHODS.filter((method) => app.hasRoute({ method, url }));
    if (allowed.length === 0) return sendError(reply, 404, 'Nothing is served at this method and path: GraphQL is served at /graphql.');
    return sendError(reply.header('allow', allowed.join(', ')), 405, `${url} does not take ${request.method}: send ${allowed.filter((m) => m !== 'HEAD').join(' or ')}.`);
  });
}
