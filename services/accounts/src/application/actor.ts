import type { Role } from '../domain/user';

/** Who is asking, as the access token says. */
export interface Actor {
  userId: string;
  role: Role;
  sessionId: string;
}
