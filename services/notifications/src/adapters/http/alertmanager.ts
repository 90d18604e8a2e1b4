// Alertmanager's webhook receiver, outside /api/v1 so the web proxy never forwards it. It answers
// only when TULITY_ALERT_WEBHOOK_SECRET is set, to `Authorization: Bearer <that secret>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from '@tulity/adapters/http/router';
import { z } from 'zod';
import type { AppState } from '@tulity/adapters/http/app';
import { bodyResponse, problemResponse, type Endpoint } from '@tulity/adapters/http/openapi';
import { toProblem } from '@tulity/adapters/http/problems';
import { parseInput } from '@tulity/adapters/http/validation';
import type { Alert } from '../../domain/alert';
import { failures } from '../../domain/failures';
import type { UseCases } from '../../main';
import { alertmanagerBody } from './schemas';

export const alertmanagerPath = '/internal/alertmanager';

/** The webhook in the OpenAPI document. */
export const alertmanagerEndpoint: Endpoint = {
  method: 'post',
  path: alertmanagerPath,
  operationId: 'receiveAlerts',
  summary: 'Alertmanager webhook (version 4): each alert state change notifies every active admin',
  description: 'Answers 404 unless the service runs with TULITY_ALERT_WEBHOOK_SECRET.',
  tag: 'alerts',
  security: 'webhookSecret',
  body: alertmanagerBody,
  responses: {
    200: bodyResponse('Received; repeats of an alert notify nobody again', z.object({ notified: z.number().int() })),
    ...Object.fromEntries([400, 401, 404, 413, 415].map((status) => [status, problemResponse(status)])),
  },
};

const digest = (text: string) => createHash('sha256').update(text).digest();

export function alertmanagerRouter(receiveAlerts: UseCases['receiveAlerts'], secret: string): Router<AppState> {
  const expected = digest(secret);
  const router = new Router<AppState>();
  router.post(alertmanagerPath, async (ctx) => {
    try {
      const presented = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
      // Digests have one length, so the comparison takes the same time whatever was sent.
      if (!timingSafeEqual(digest(presented), expected)) throw failures.webhookUnauthenticated();
      const body = parseInput(alertmanagerBody, ctx.state.body ?? {});
      const alerts: Alert[] = body.alerts.map((a) => ({
        status: a.status,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
        // Alertmanager sends a zero time as the end of a firing alert.
        endsAt: a.status === 'resolved' ? (a.endsAt ?? null) : null,
        fingerprint: a.fingerprint,
      }));
      ctx.body = await receiveAlerts({ alerts, correlationId: ctx.state.requestId });
    } catch (error) {
      throw toProblem(error);
    }
  });
  return router;
}
