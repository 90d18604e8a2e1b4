// The access token lives only in this module's memory: never in storage a script could read
// later. The refresh token stays in the web server's HttpOnly cookie; this module only asks the
// server to use it.

export type Role = 'admin' | 'manager' | 'cashier';

export interface SessionUser {
  id: string;
  username: string;
  fullName: string;
  role: Role;
}

export interface SessionSettings {
  currency: string;
}

/** What the web server's session endpoints answer on login and refresh. */
export interface SessionGrant {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: SessionUser;
  settings: SessionSettings;
}

export const endedMessage = 'Your session has ended. Please sign in again.';

/** The server refused the session (revoked, expired or absent): only a new login helps. */
export class SessionEnded extends Error {
  constructor(readonly hadSession: boolean) {
    super(hadSession ? endedMessage : 'Please sign in.');
    this.name = 'SessionEnded';
  }
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface TokenKeeperOptions {
  /** Asks the server for a new grant; throws SessionEnded when the session is gone. */
  refresh(): Promise<SessionGrant>;
  /** Every grant, whether from login, a silent refresh or a refresh after a 401. */
  onGrant(grant: SessionGrant): void;
  /** The session is gone; `hadSession` is false when there was none to begin with. */
  onEnded(error: SessionEnded): void;
  now?: () => number;
  timers?: Timers;
}

const browserTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long before expiry a silent refresh starts: a fifth of the lifetime, at most a minute. */
export const refreshLeadMs = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 5);
/** After a refresh that failed for another reason than the session ending (network, 5xx). */
const retryAfterFailureMs = 10_000;

/**
 * Holds the access token, renews it silently before it expires, and renews it at once when a
 * caller finds it refused. Concurrent renewals share one request: the server's refresh tokens
 * are single use, and a second exchange of a spent one would end the session.
 */
export class TokenKeeper {
  private accessToken: string | undefined;
  private expiresAt = 0;
  private timer: unknown;
  private inFlight: Promise<string | undefined> | undefined;
  private generation = 0;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly options: TokenKeeperOptions) {
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? browserTimers;
  }

  /** Takes a grant from a login (or a refresh) and plans the next silent refresh. */
  accept(grant: SessionGrant): void {
    this.generation += 1;
    this.accessToken = grant.accessToken;
    const lifetimeMs = Math.max(0, grant.expiresIn * 1000);
    this.expiresAt = this.now() + lifetimeMs;
    this.schedule(lifetimeMs - refreshLeadMs(lifetimeMs));
    this.options.onGrant(grant);
  }

  /** Forgets the token (logout, ended session) and cancels any planned refresh. */
  clear(): void {
    this.generation += 1;
    this.accessToken = undefined;
    this.expiresAt = 0;
    this.inFlight = undefined;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  get signedIn(): boolean {
    return this.accessToken !== undefined;
  }

  /** A token to send now: the held one while it is valid, else a renewed one; undefined when signed out. */
  async token(): Promise<string | undefined> {
    if (this.accessToken === undefined) return this.inFlight;
    if (this.now() < this.expiresAt) return this.accessToken;
    return this.refresh();
  }

  /**
   * Renews the access token now, sharing a renewal already under way. Resolves to undefined when
   * the session has ended (onEnded was told); rejects when the server could not be asked.
   */
  refresh(): Promise<string | undefined> {
    if (this.inFlight) return this.inFlight;
    const generation = this.generation;
    const attempt = this.options
      .refresh()
      .then(
        (grant) => {
          // A logout while the renewal was under way wins: its answer is dropped.
          if (generation !== this.generation) return undefined;
          this.accept(grant);
          return grant.accessToken;
        },
        (error: unknown) => {
          if (generation !== this.generation) return undefined;
          if (error instanceof SessionEnded) {
            this.clear();
            this.options.onEnded(error);
            return undefined;
          }
          // Still signed in: try again soon, and let this caller show the failure.
          if (this.accessToken !== undefined) this.schedule(retryAfterFailureMs);
          throw error;
        },
      )
      .finally(() => {
        if (this.inFlight === attempt) this.inFlight = undefined;
      });
    this.inFlight = attempt;
    return attempt;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = this.timers.set(
      () => {
        this.timer = undefined;
        // A failed silent refresh has already planned its retry; nobody waits on this one.
        this.refresh().catch(() => undefined);
      },
      Math.max(0, delayMs),
    );
  }
}

/**
 * A fetch that sends the access token and, when a service answers 401, renews the token once
 * and sends the request again. A request that was refused twice is answered as it came.
 */
export function authorizedFetch(keeper: TokenKeeper, send: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    // The body can be read only once: keep a copy for the retry before the first send.
    const retry = request.clone();
    const token = await keeper.token();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    const response = await send(request);
    if (response.status !== 401 || token === undefined) return response;
    const renewed = await keeper.refresh();
    if (renewed === undefined) return response;
    retry.headers.set('authorization', `Bearer ${renewed}`);
    return send(retry);
  };
}
