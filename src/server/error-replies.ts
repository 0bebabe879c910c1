import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HubError } from '../errors.js';
import type { ErrorBody } from './schemas/common.js';
import { readsWebUi } from './access-policy.js';
import type { WebUiHandler } from './web-ui.js';

interface Issue {
  path: string;
  message: string;
  code: string;
}

/** A message that names the field unless the message already starts with it (ours do). */
function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => (i.path === '' || i.message.startsWith(i.path) ? i.message : `${i.path}: ${i.message}`))
    .join(' ');
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).statusCode === 'number';
}

/**
 * Any error to the answer the API gives: the status (a HubError carries its own), and `{ error: { code, message,
 * details? } }`. Only what was written for people crosses: HubError messages and request-validation issues.
 * Anything else is a 500 with a generic message; the stack stays in the log.
 */
export function errorReply(error: unknown): { status: number; body: ErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: v.message ?? 'is invalid.',
      code: v.keyword,
    }));
    return {
      status: 400,
      body: {
        error: {
          code: 'INVALID_INPUT',
          message: describeIssues(issues),
          details: { in: error.validationContext ?? 'request', issues },
        },
      },
    };
  }
  if (error instanceof HubError) {
    return {
      status: error.httpStatus,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: { ...error.details } }),
        },
      },
    };
  }
  // Fastify's own refusals (malformed JSON, a body too large, a wrong content type) are the caller's too.
  if (
    isFastifyError(error) &&
    error.statusCode !== undefined &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  ) {
    return {
      status: error.statusCode,
      body: {
        error: { code: error.statusCode === 400 ? 'INVALID_INPUT' : error.code, message: error.message },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL_ERROR', message: 'The server failed to answer; the details are in its log.' },
    },
  };
}

/**
 * Every error and unknown API route of the app answers in the API's error shape; a read outside /api that no
 * route matched goes to the web UI, when there is one.
 */
export function installErrorReplies(app: FastifyInstance, webUi?: WebUiHandler): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReply(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code }, body.error.message);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    if (webUi !== undefined && readsWebUi(request.method, path)) return webUi(request, reply);
    return reply.code(404).send({
      error: { code: 'ROUTE_NOT_FOUND', message: `There is no ${request.method} ${path}.` },
    } satisfies ErrorBody);
  });
}
