import { z } from 'zod';
import { nullableString } from './members.js';
import { optionalTimestamp } from './timestamp.js';
import { recordValidator } from './record.js';

/**
 * One client secret of an app registration (Graph `passwordCredential`). Graph never returns the value
 * (`secretText` is null outside `addPassword`); `hint` is the value's first three characters.
 */
export const passwordCredentialSchema = z.looseObject({
  keyId: z.string().min(1),
  displayName: nullableString,
  hint: nullableString,
  startDateTime: optionalTimestamp,
  endDateTime: optionalTimestamp,
});
export type PasswordCredential = z.output<typeof passwordCredentialSchema>;

/**
 * One certificate of an app registration (Graph `keyCredential`). `customKeyIdentifier` defaults to the
 * certificate's SHA-1 thumbprint; `key` is only sent for a single object asked with `$select=keyCredentials`.
 */
export const keyCredentialSchema = z.looseObject({
  keyId: z.string().min(1),
  displayName: nullableString,
  type: nullableString,
  usage: nullableString,
  customKeyIdentifier: nullableString,
  startDateTime: optionalTimestamp,
  endDateTime: optionalTimestamp,
});
export type KeyCredential = z.output<typeof keyCredentialSchema>;

/** Graph `application` (an app registration), with the members `$select` asks for. Unknown members pass. */
export const applicationSchema = z.looseObject({
  id: z.string().min(1),
  appId: z.string().min(1),
  displayName: nullableString,
  passwordCredentials: z.array(passwordCredentialSchema).nullable().optional(),
  keyCredentials: z.array(keyCredentialSchema).nullable().optional(),
});
export type Application = z.output<typeof applicationSchema>;
export const validateApplication = recordValidator(applicationSchema);

/** A Graph collection answer: `{"@odata.context": …, "value": [ … ]}`; the records are validated one by one. */
export const graphCollectionSchema = z.looseObject({ value: z.array(z.unknown()) });
