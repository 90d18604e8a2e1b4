// The route table of the notifications API. Literal paths come before `/notifications/:id`, which
// would otherwise answer them with a 404 (they are not UUIDs).
import type { Actor } from '@tulity/adapters/core/actor';
import { route, type Ctx, type Route } from '@tulity/adapters/http/routes';
import { failures } from '../../domain/failures';
import type { UseCases } from '../../main';
import type { StreamHub } from './stream';
import {
  announcementBody,
  announcementListQuery,
  announcementPageResponse,
  announcementResponse,
  lastEventId,
  markBody,
  notificationEvents,
  notificationListQuery,
  notificationPageResponse,
  notificationResponse,
  readAllResponse,
  streamQuery,
  ticketResponse,
} from './schemas';
import {
  presentAnnouncement,
  presentAnnouncementPage,
  presentNotification,
  presentNotificationPage,
} from './presenters';

const actorOf = (ctx: Ctx): Actor => {
  const { userId, role, sessionId } = ctx.state.principal;
  return { userId, role, sessionId };
};
const tag = 'notifications';
const streamPath = '/notifications/stream';

export function notificationRoutes(useCases: UseCases, hub: StreamHub): Route[] {
  return [
    route({
      method: 'get',
      path: '/notifications',
      operationId: 'listNotifications',
      tag,
      summary: 'My notifications, newest first, with my unread count',
      query: notificationListQuery,
      response: notificationPageResponse,
      handle: async ({ query, ctx }) =>
        presentNotificationPage(await useCases.listNotifications({ actor: actorOf(ctx), query })),
    }),
    route({
      method: 'post',
      path: '/notifications/read-all',
      operationId: 'markAllNotificationsRead',
      tag,
      summary: 'Mark all my notifications read',
      response: readAllResponse,
      handle: async ({ ctx }) => ({
        updated: await useCases.markAllRead({ actor: actorOf(ctx), correlationId: ctx.state.requestId }),
      }),
    }),
    route({
      method: 'post',
      path: '/notifications/stream-tickets',
      operationId: 'createStreamTicket',
      tag,
      status: 201,
      response: ticketResponse,
      summary: 'A single-use ticket (30 s) to open my notification stream: EventSource cannot send a token',
      handle: async ({ ctx }) => {
        const { principal } = ctx.state;
        const issued = await useCases.issueStreamTicket({
          actor: actorOf(ctx),
          tokenId: principal.tokenId,
          tokenIssuedAt: new Date(principal.issuedAt),
          correlationId: ctx.state.requestId,
        });
        return {
          ticket: issued.ticket,
          expiresAt: issued.expiresAt.toISOString(),
          streamUrl: `/api/v1${streamPath}?ticket=${issued.ticket}`,
        };
      },
    }),
    route({
      method: 'get',
      path: streamPath,
      operationId: 'streamNotifications',
      tag,
      access: 'public',
      query: streamQuery,
      response: notificationEvents,
      responseType: 'text/event-stream',
      problems: [401, 429],
      summary:
        'My notifications as Server-Sent Events (id = sequence; send Last-Event-ID to resume); authenticated by ?ticket=',
      handle: async ({ query, ctx }) => {
        const header = ctx.get('last-event-id');
        const resume = header === '' ? undefined : lastEventId.safeParse(header);
        if (resume && !resume.success) throw failures.lastEventIdInvalid();
        const ticket = await useCases.redeemStreamTicket({ ticket: query.ticket, correlationId: ctx.state.requestId });
        const from = resume?.data ?? (await useCases.latestSequence(ticket.userId));
        const out = hub.open(ticket, from);
        ctx.set({
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
        });
        return out;
      },
    }),
    route({
      method: 'get',
      path: '/notifications/announcements',
      operationId: 'listAnnouncements',
      tag,
      access: ['admin'],
      summary: 'Announcements, newest first',
      query: announcementListQuery,
      response: announcementPageResponse,
      handle: async ({ query }) => presentAnnouncementPage(await useCases.listAnnouncements(query)),
    }),
    route({
      method: 'post',
      path: '/notifications/announcements',
      operationId: 'createAnnouncement',
      tag,
      access: ['admin'],
      status: 201,
      summary: 'Announce to one role or everyone: a notification for each active user of the audience',
      body: announcementBody,
      response: announcementResponse,
      handle: async ({ body, ctx }) =>
        presentAnnouncement(
          await useCases.postAnnouncement({ ...body, actor: actorOf(ctx), correlationId: ctx.state.requestId }),
        ),
    }),
    route({
      method: 'delete',
      path: '/notifications/announcements/:id',
      operationId: 'deleteAnnouncement',
      tag,
      access: ['admin'],
      status: 204,
      problems: [404],
      summary: 'Withdraw an announcement and its notifications',
      handle: ({ params, ctx }) => useCases.deleteAnnouncement({ id: params.id!, correlationId: ctx.state.requestId }),
    }),
    route({
      method: 'get',
      path: '/notifications/:id',
      operationId: 'getNotification',
      tag,
      summary: 'One of my notifications',
      response: notificationResponse,
      problems: [404],
      handle: async ({ params, ctx }) =>
        presentNotification(await useCases.getNotification({ actor: actorOf(ctx), id: params.id! })),
    }),
    route({
      method: 'patch',
      path: '/notifications/:id',
      operationId: 'markNotification',
      tag,
      summary: 'Mark one of my notifications read or unread',
      body: markBody,
      response: notificationResponse,
      problems: [404],
      handle: async ({ params, body, ctx }) =>
        presentNotification(
          await useCases.markNotification({
            actor: actorOf(ctx),
            id: params.id!,
            read: body.read,
            correlationId: ctx.state.requestId,
          }),
        ),
    }),
    route({
      method: 'delete',
      path: '/notifications/:id',
      operationId: 'deleteNotification',
      tag,
      status: 204,
      summary: 'Delete one of my notifications',
      problems: [404],
      handle: ({ params, ctx }) =>
        useCases.deleteNotification({ actor: actorOf(ctx), id: params.id!, correlationId: ctx.state.requestId }),
    }),
  ];
}
