/** The roles of the shop, as tokens carry them. */
export const roles = ['admin', 'manager', 'cashier'] as const;
export type Role = (typeof roles)[number];

/** Who is asking, as a verified access token says; use cases decide data-dependent rights with it. */
export interface Actor {
  userId: string;
  role: Role;
  sessionId: string;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  newId(): string;
}
