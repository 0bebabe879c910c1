import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses, listOf, numericIdParams } from '../schemas/common.js';
import {
  createdTokenBody,
  createdUserBody,
  sessionBody,
  signInBody,
  tokenBody,
  userBody,
} from '../schemas/access.js';
import { cookieValue, requireRole, sessionCookie, setSessionCookie } from '../authentication.js';

// Bodies are checked by the auth service's schemas, so the CLI and the API refuse alike.
const anyBody = z.unknown();

/** Sign-in and sign-out, the users (admins) and API tokens (each user their own; admins all). */
export const accessRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { auth } = hub;

  app.post(
    '/session',
    {
      schema: {
        tags: ['access'],
        summary: 'Sign in: sets the HttpOnly session cookie and answers the CSRF token',
        description:
          'Body `{username, password}`. Five failures in a row lock the account for 15 minutes (429 AUTH_LOCKED); 20 failures from one address in 15 minutes give 429 AUTH_RATE_LIMITED.',
        body: anyBody,
        response: {
          200: signInBody,
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const signedIn = await auth.login(request.body, request.ip);
      setSessionCookie(
        reply,
        request,
        signedIn.sessionToken,
        Math.round((Date.parse(signedIn.expiresAt) - Date.now()) / 1000),
      );
      return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags: ['access'],
        summary: 'Who is signed in (or whose token this is), with the CSRF token of a session',
        response: { 200: sessionBody, ...errorResponses(401) },
      },
    },
    (request) => {
      const principal = requireRole(request, 'viewer');
      return {
        username: principal.username,
        role: principal.role,
        via: principal.kind,
        csrfToken: principal.csrfToken ?? null,
      };
    },
  );

  app.delete(
    '/session',
    {
      schema: {
        tags: ['access'],
        summary: 'Sign out: ends the session and clears its cookie',
        response: { 204: z.null(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const value = cookieValue(request, sessionCookie);
      if (value !== undefined) await auth.logout(value);
      setSessionCookie(reply, request, '', 0);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users',
    {
      schema: {
        tags: ['access'],
        summary: 'The local users (admins)',
        response: { 200: listOf(userBody), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await auth.listUsers() }),
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Add a user (admins); without a password one is generated and answered once',
        body: anyBody,
        response: {
          201: createdUserBody,
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await auth.createUser(request.body)),
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'One user (admins)',
        params: numericIdParams,
        response: { 200: userBody, ...errorResponses(401, 403, 404) },
      },
    },
    (request) => auth.getUser(request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['access'],
        summary: "Change a user's role or password (admins); ends the user's sessions",
        params: numericIdParams,
        body: anyBody,
        response: { 200: userBody, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => auth.updateUser(request.params.id, request.body),
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'Remove a user (admins), with their sessions and tokens; never the last admin',
        params: numericIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await auth.removeUser(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        tags: ['access'],
        summary: 'API tokens: your own, or everyone’s for admins (never their values)',
        response: { 200: listOf(tokenBody), ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await auth.listTokens(requireRole(request, 'viewer')) }),
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags: ['access'],
        summary: 'Create an API token with a role no higher than yours; its value is answered once',
        body: anyBody,
        response: {
          201: createdTokenBody,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { token, view } = await auth.createToken(requireRole(request, 'viewer'), request.body);
      return reply.code(201).send({ id: view.id, token, name: view.name, role: view.role });
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'Revoke an API token at once (your own; admins any)',
        params: numericIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await auth.revokeToken(requireRole(request, 'viewer'), request.params.id);
      return reply.code(204).send(null);
    },
  );

  done();
};
