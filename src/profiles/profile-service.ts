import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseInput } from '../parse-input.js';
import { ProfileNameTakenError, profileNotFound } from './profile-errors.js';
import {
  osProfileMatchScore,
  osProfiles,
  ruleMatchScore,
  validateProfileRule,
  type ProfileRule,
} from '../domain/os-profile.js';
import type {
  IntegrationsRepository,
  Profile,
  ProfileAssignment,
  ProfiledEndpoint,
  ProfilesRepository,
} from '../store/index.js';

const criterion = (what: string) => z.string().optional().describe(what);

/** A rule profile as the API and the CLI take it. */
export const ruleProfileInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'name is required')
      .max(100, 'name is at most 100 characters')
      .regex(/^[\w .-]+$/, 'name takes letters, digits, spaces, dots, dashes and underscores'),
    rule: z
      .object({
        os: criterion("Defender's osPlatform, any case."),
        namePattern: criterion('Glob on the DNS name: * any run, ? one character; any case.'),
        ipRange: criterion(
          'IPv4 or IPv6 CIDR (10.1.0.0/16, fd00::/64), an IPv4 range (10.0.0.1-10.0.0.50) or one address.',
        ),
        tag: criterion('A Defender machine tag.'),
        deviceGroup: criterion('A Defender device group (RBAC group) name.'),
      })
      .strict()
      .describe('Every criterion given must hold; at least one is needed.'),
  })
  .strict();
export type RuleProfileInput = z.input<typeof ruleProfileInput>;

const keyOf = (a: { profileId: number }): number => a.profileId;

/**
 * Profiles: Defender's OS report gives an endpoint its OS and OS_VERSION profiles (Very High); endpoints
 * without one — no OS details, or an integration that is disabled — get the hub's rule profiles instead.
 */
export class ProfileService {
  readonly #profiles: ProfilesRepository;
  readonly #integrations: IntegrationsRepository;

  constructor(profiles: ProfilesRepository, integrations: IntegrationsRepository) {
    this.#profiles = profiles;
    this.#integrations = integrations;
  }

  /**
   * Re-profiles an integration's endpoints page by page, writing only what changed. `useOs` false (a disabled
   * integration) deletes the OS profiles it created first. Returns how many endpoints changed.
   */
  async refreshIntegration(integrationId: string, useOs: boolean): Promise<number> {
    if (!useOs) await this.#profiles.removeIntegrationProfiles(integrationId);
    const rules = (await this.#profiles.ruleProfiles()).map((p) => ({ id: p.id, rule: p.rule ?? {} }));
    let changed = 0;
    for (let afterId = 0; ;) {
      const page = await this.#profiles.endpointsPage(integrationId, afterId);
      if (page.length === 0) return changed;
      afterId = page[page.length - 1]?.id ?? afterId;
      const wanted = await this.#wanted(integrationId, page, useOs, rules);
      changed += await this.#apply(page, wanted);
    }
  }

  /** Called when an integration is enabled or disabled. */
  async integrationEnabled(integrationId: string, enabled: boolean): Promise<void> {
    await this.refreshIntegration(integrationId, enabled);
  }

  list(): Promise<Profile[]> {
    return this.#profiles.listWithCounts();
  }

  /** Adds a rule profile and applies it to every endpoint without Defender OS details. */
  async createRule(input: unknown): Promise<Profile> {
    const value = parseInput(ruleProfileInput, input);
    const rule = Object.fromEntries(
      Object.entries(value.rule).filter(([, v]) => v !== undefined),
    ) as ProfileRule;
    const problems = validateProfileRule(rule);
    if (problems.length > 0) throw new InputError(`The profile rule is not valid: ${problems.join('; ')}.`);
    if ((await this.#profiles.ruleByName(value.name)) !== undefined)
      throw new ProfileNameTakenError(value.name);
    const inserted = await this.#profiles.insertRule(value.name, rule, new Date().toISOString());
    await this.#refreshAll();
    const created = (await this.list()).find((p) => p.id === inserted.id);
    if (created === undefined) throw profileNotFound(inserted.id);
    return created;
  }

  async removeRule(id: number): Promise<void> {
    const profile = await this.#profiles.get(id);
    if (profile === undefined || profile.integrationId !== null) throw profileNotFound(id);
    await this.#profiles.remove(id);
    // Endpoints the rule held may now match another rule less well; nothing else changes.
    await this.#refreshAll();
  }

  async #refreshAll(): Promise<void> {
    for (const integration of await this.#integrations.list())
      await this.refreshIntegration(integration.id, integration.enabled);
  }

  async #wanted(
    integrationId: string,
    page: readonly ProfiledEndpoint[],
    useOs: boolean,
    rules: readonly { id: number; rule: ProfileRule }[],
  ): Promise<Map<number, ProfileAssignment[]>> {
    const os = new Map(
      page.map((e) => [e.id, useOs ? osProfiles(e.osPlatform, e.version, e.osBuild) : null]),
    );
    const names = [...os.values()].flatMap((p) =>
      p === null
        ? []
        : [
            { name: p.os, kind: 'os' as const, matchScore: osProfileMatchScore },
            ...(p.osVersion === null
              ? []
              : [{ name: p.osVersion, kind: 'osVersion' as const, matchScore: osProfileMatchScore }]),
          ],
    );
    const ids = await this.#profiles.ensureIntegrationProfiles(
      integrationId,
      names,
      new Date().toISOString(),
    );
    const wanted = new Map<number, ProfileAssignment[]>();
    for (const endpoint of page) {
      const profiles = os.get(endpoint.id) ?? null;
      wanted.set(
        endpoint.id,
        profiles === null
          ? ruleAssignments(endpoint, rules)
          : [profiles.os, profiles.osVersion]
              .filter((n): n is string => n !== null)
              .map((n) => ({
                endpointId: endpoint.id,
                profileId: ids.get(n) ?? -1,
                matchScore: osProfileMatchScore,
              }))
              .filter((a) => a.profileId !== -1),
      );
    }
    return wanted;
  }

  async #apply(page: readonly ProfiledEndpoint[], wanted: Map<number, ProfileAssignment[]>): Promise<number> {
    const current = await this.#profiles.assignments(page.map((e) => e.id));
    const byEndpoint = new Map<number, ProfileAssignment[]>();
    for (const a of current) byEndpoint.set(a.endpointId, [...(byEndpoint.get(a.endpointId) ?? []), a]);
    const removed: ProfileAssignment[] = [];
    const added: ProfileAssignment[] = [];
    let changed = 0;
    for (const endpoint of page) {
      const now = byEndpoint.get(endpoint.id) ?? [];
      const next = wanted.get(endpoint.id) ?? [];
      const gone = now.filter((a) => !next.some((b) => keyOf(b) === keyOf(a)));
      const fresh = next.filter(
        (b) => !now.some((a) => keyOf(a) === keyOf(b) && a.matchScore === b.matchScore),
      );
      removed.push(...gone);
      added.push(...fresh);
      if (gone.length + fresh.length > 0) changed++;
    }
    await this.#profiles.reassign(removed, added);
    return changed;
  }
}

function ruleAssignments(
  endpoint: ProfiledEndpoint,
  rules: readonly { id: number; rule: ProfileRule }[],
): ProfileAssignment[] {
  return rules.flatMap(({ id, rule }) => {
    const score = ruleMatchScore(rule, endpoint);
    return score === null ? [] : [{ endpointId: endpoint.id, profileId: id, matchScore: score }];
  });
}
