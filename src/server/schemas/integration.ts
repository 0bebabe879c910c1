import { z } from 'zod';
import { connectionStepNames } from '../../integrations/connection-steps.js';
import { features, permissionApiNames } from '../../domain/permissions.js';
import {
  filtersSchema,
  importsSchema,
  protectedDevicesSchema,
  schedulesSchema,
} from '../../integrations/integration-schema.js';
import { datasetNames } from '../../domain/datasets.js';
import { connectionStates } from '../../domain/connection-status.js';
import { syncRunBody } from './sync-run.js';

const credentialWarningBody = z.object({
  level: z.enum(['info', 'notice', 'warning', 'critical']),
  code: z
    .string()
    .describe(
      'CREDENTIAL_EXPIRES_SOON (30, 14, 3 days ahead: notice, warning, critical), CREDENTIAL_EXPIRED, or a note why the expiry is unknown: CREDENTIAL_EXPIRY_NOT_PERMITTED, CREDENTIAL_NOT_LISTED, CREDENTIAL_APPLICATION_NOT_FOUND.',
    ),
  message: z.string(),
});

/** The credential's health: never the credential, nor Graph's hint of it. */
const credentialHealthFields = {
  expiresAt: z
    .string()
    .nullable()
    .describe(
      'When the credential expires, from the app registration (Graph, needs Application.Read.All); null while unknown.',
    ),
  checkedAt: z.string().nullable().describe('When the hub last looked.'),
  warnings: z.array(credentialWarningBody),
};

/**
 * An integration as answered: the service's `Integration`. Listing every member (rather than passing the object
 * through) means a member added to the service later stays out of answers until it is added here on purpose.
 */
export const integrationBody = z.object({
  id: z.string(),
  name: z.string(),
  product: z.enum(['endpoint', 'cloud']),
  tenantId: z.string(),
  clientId: z.string(),
  credential: z
    .object({
      type: z.enum(['secret', 'certificate']),
      set: z.literal(true),
      setAt: z.string(),
      ...credentialHealthFields,
    })
    .describe('The credential is write-only: only its kind, when it was set and when it expires are shown.'),
  apiBaseUrl: z.string(),
  authorityHost: z.string().nullable(),
  graphBaseUrl: z.string().nullable(),
  armBaseUrl: z
    .string()
    .nullable()
    .describe(
      "Azure Resource Manager host of a cloud integration; null: the cloud's (https://management.azure.com).",
    ),
  subscriptions: z
    .array(z.string())
    .describe('The subscriptions a cloud integration reads; empty: every one the app can read.'),
  caPem: z.string().nullable(),
  enabled: z.boolean(),
  imports: importsSchema,
  schedules: schedulesSchema,
  filters: filtersSchema,
  protectedDevices: protectedDevicesSchema.describe('Devices never isolated through the hub.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const syncRequestBody = z
  .object({
    dataset: z.enum(datasetNames).optional().describe('One dataset; every enabled one when absent.'),
    full: z.boolean().optional().describe('Read everything again instead of from the cursor.'),
    force: z.boolean().optional().describe('Allow marking more than the bounded share stale.'),
  })
  .strict()
  // Fastify hands a POST without a body over as null.
  .nullish();

const featureLimitBody = z.object({
  feature: z.enum(features),
  needs: z.string().describe('"alerts need Alert.Read.All or SecurityAlert.Read.All".'),
  accepted: z.string().describe('Every permission that would do, with its API.'),
  enables: z.string().describe('What granting one would add.'),
});

const permissionRowBody = z.object({
  feature: z.enum(features),
  label: z.string(),
  sources: z
    .array(
      z.object({
        api: z.enum(permissionApiNames),
        permissions: z.array(
          z.object({
            name: z.string(),
            granted: z.boolean().nullable().describe('null: not known (see note).'),
          }),
        ),
      }),
    )
    .describe(
      'Each API that serves the feature, best first, with the permissions of which any one suffices.',
    ),
  granted: z.boolean().nullable().describe('Whether one permission is granted; null: the test cannot tell.'),
  note: z.string().optional().describe('Why granted is null.'),
  enables: z.string().describe('What the feature adds.'),
});

export const connectionTestBody = z.object({
  ok: z.boolean().describe('No step failed; a step the app is not permitted to read is not a failure.'),
  product: z
    .enum(['endpoint', 'cloud'])
    .describe(
      'endpoint: token, then one probe per enabled import; cloud: token (Azure Resource Manager), subscriptions, securityReader.',
    ),
  label: z
    .string()
    .describe(
      '"Connected", "Connected — limited: alerts need Alert.Read.All or SecurityAlert.Read.All", or "Failed: <the first failed step>".',
    ),
  steps: z.array(
    z.object({
      name: z.enum(connectionStepNames),
      ok: z.boolean().describe('False only for a failure.'),
      code: z
        .string()
        .optional()
        .describe(
          'The error code; TEST_STEP_NOT_PERMITTED: not read, no permission serves it (not a failure).',
        ),
      message: z.string().optional(),
      ms: z.number(),
      notPermitted: z.array(z.enum(features)).describe('What of the step no granted permission serves.'),
    }),
  ),
  permissions: z
    .array(permissionRowBody)
    .describe('The permission table: one row per feature (a cloud integration: cloud posture).'),
  notPermitted: z.array(z.enum(features)).describe('What the enabled imports need that is not granted.'),
  importsAllowed: importsSchema
    .nullable()
    .describe("Endpoint: the import toggles the app's permissions allow, a new integration's defaults."),
  credential: z
    .object({ ...credentialHealthFields, checkedAt: z.string() })
    .describe("The credential's expiry as this test read it; an unknown expiry does not fail the test."),
  subscriptions: z
    .array(
      z.object({
        subscriptionId: z.string(),
        displayName: z.string(),
        state: z.string(),
        readable: z
          .boolean()
          .nullable()
          .describe(
            'Whether Defender for Cloud could be read on it (Security Reader); null: not tried, not chosen.',
          ),
      }),
    )
    .describe('Cloud: every subscription the app sees, to choose from; empty for Endpoint.'),
});

/** One integration's connection status and the latest runs of the datasets it imports. */
export const integrationStatusBody = z.object({
  id: z.string(),
  name: z.string(),
  product: z.enum(['endpoint', 'cloud']),
  enabled: z.boolean(),
  state: z
    .enum(connectionStates)
    .describe(
      "failing: a dataset's latest run that ran to its end failed (running, cancelled and interrupted runs decide nothing); limited: connected, but some datasets are not permitted; notSynced: none did yet.",
    ),
  label: z
    .string()
    .describe(
      '"Connected", "Connected — limited: alerts need Alert.Read.All or SecurityAlert.Read.All", "Failing: <the newest failed run\'s error message>", "Disabled" or "Not synced yet".',
    ),
  notPermitted: z.array(z.enum(features)).describe('Limited: the features not permitted, in table order.'),
  limits: z.array(featureLimitBody).describe('Limited: what each feature needs and what granting it adds.'),
  credentialExpiresAt: credentialHealthFields.expiresAt,
  datasets: z
    .array(
      z.object({
        dataset: z.enum(datasetNames),
        lastRun: syncRunBody
          .pick({
            id: true,
            status: true,
            startedAt: true,
            finishedAt: true,
            upserted: true,
            removed: true,
            skipped: true,
            errorCode: true,
            errorMessage: true,
            notPermitted: true,
          })
          .nullable()
          .describe('The latest run, whatever its state; null when the dataset never ran.'),
        lastSuccessAt: z.string().nullable().describe('When its latest succeeded run finished.'),
      }),
    )
    .describe('One per dataset the integration imports, in the order a full sync runs them.'),
});
