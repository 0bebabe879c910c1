import { z } from 'zod';

// Defender and Graph omit a member or send null alike when they have no value: both read as absent.
export const nullableString = z.string().nullable().optional();
export const nullableNumber = z.number().nullable().optional();
export const nullableBoolean = z.boolean().nullable().optional();
