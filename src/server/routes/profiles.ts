import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses, listOf } from '../schemas/common.js';
import { profileBody } from '../schemas/profile.js';
import { ruleProfileInput } from '../../profiles/profile-service.js';
import { removeRoute } from './route-shapes.js';

const tags = ['profiles'];

/** Profiles: the OS profiles integrations create, and the hub's own rule profiles. */
export const profileRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.get(
    '/profiles',
    {
      schema: {
        tags,
        summary: 'List profiles with how many active endpoints carry each',
        response: { 200: listOf(profileBody) },
      },
    },
    async () => ({ items: await hub.profiles.list() }),
  );

  app.post(
    '/profiles',
    {
      schema: {
        tags,
        summary: 'Add a rule profile; it applies to endpoints without Defender OS details',
        body: ruleProfileInput,
        response: { 201: profileBody, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await hub.profiles.createRule(request.body)),
  );

  removeRoute(app, '/profiles/:id', { tags, summary: 'Remove a rule profile' }, (id) =>
    hub.profiles.removeRule(id),
  );

  done();
};
