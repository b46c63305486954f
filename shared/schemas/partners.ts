import * as z from 'zod';

export const partnerEventTypes = ['entry.listed', 'entry.delisted', 'entry.corrected'] as const;

export const subscribeSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).max(2000),
    secret: z.string().min(16, 'at least 16 characters').max(200, 'at most 200 characters'),
    events: z.array(z.enum(partnerEventTypes)).min(1).max(3).default([...partnerEventTypes]),
  })
  .strict();

export const subscriptionSchema = z.object({ subscriptionId: z.string(), url: z.string(), events: z.array(z.enum(partnerEventTypes)), createdAt: z.string() });

export const deliverySchema = z.object({
  subscriptionId: z.string(),
  partnerId: z.string(),
  eventId: z.string(),
  type: z.enum(partnerEventTypes),
  entryId: z.string(),
  status: z.enum(['pending', 'delivered']).describe('pending until the partner answers 2xx'),
  attempts: z.number().int(),
  lastAttempt: z.object({ at: z.string(), status: z.number().optional(), error: z.string().optional() }).optional(),
  createdAt: z.string(),
  deliveredAt: z.string().optional(),
});
