import { describe, expect, test } from '@jest/globals';
import { authorizedFetch, refreshLeadMs, SessionEnded, TokenKeeper, type SessionGrant } from './tokens';

const user = { id: 'u1', username: 'ann', fullName: 'Ann', role: 'cashier' } as const;
const grant = (accessToken: string, expiresIn = 300): SessionGrant => ({
  accessToken,
  expiresIn,
  user,
  settings: { currency: 'EUR' },
});

/** A clock and timers the test moves by hand. */
function manualTime() {
  let now = 1_000_000;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    timers: {
      set: (callback: () => void, ms: number) => {
        pending.set(nextId, { at: now + ms, callback });
        return nextId++;
      },
      clear: (handle: unknown) => pending.delete(handle as number),
    },
    /** Moves the clock and runs the timers that fall due, in order. */
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now) {
          pending.delete(id);
          timer.callback();
        }
      }
    },
    planned: () => [...pending.values()].map((timer) => timer.at - now),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function keeperWith(refresh: () => Promise<SessionGrant>) {
  const time = manualTime();
  const seen: { grants: SessionGrant[]; ended: SessionEnded[] } = { grants: [], ended: [] };
  const keeper = new TokenKeeper({
    refresh,
    onGrant: (g) => seen.grants.push(g),
    onEnded: (e) => seen.ended.push(e),
    now: time.now,
    timers: time.timers,
  });
  return { keeper, time, seen };
}

describe('TokenKeeper', () => {
  test('renews the token silently a fifth of its lifetime (at most a minute) before it expires', async () => {
    let calls = 0;
    const { keeper, time } = keeperWith(async () => grant(`renewed-${++calls}`));
    keeper.accept(grant('first', 300));

    expect(time.planned()).toEqual([300_000 - refreshLeadMs(300_000)]);
    expect(refreshLeadMs(300_000)).toBe(60_000);
    expect(refreshLeadMs(60_000)).toBe(12_000);

    time.advance(239_999);
    expect(calls).toBe(0);
    time.advance(1);
    await settle();

    expect(calls).toBe(1);
    expect(await keeper.token()).toBe('renewed-1');
  });

  test('renewals asked for at the same time share one request, so a single-use refresh token is spent once', async () => {
    const answers: Array<(g: SessionGrant) => void> = [];
    const { keeper } = keeperWith(() => new Promise((resolve) => answers.push(resolve)));
    keeper.accept(grant('first'));

    const both = Promise.all([keeper.refresh(), keeper.refresh()]);
    answers.forEach((answer, n) => answer(grant(`second-${n}`)));

    expect(await both).toEqual(['second-0', 'second-0']);
    expect(answers).toHaveLength(1);
  });

  test('a session the server ended clears the token and says so once', async () => {
    const { keeper, seen } = keeperWith(async () => {
      throw new SessionEnded(true);
    });
    keeper.accept(grant('first'));

    expect(await keeper.refresh()).toBeUndefined();

    expect(keeper.signedIn).toBe(false);
    expect(seen.ended).toHaveLength(1);
    expect(seen.ended[0]!.hadSession).toBe(true);
  });

  test('a renewal that could not reach the server keeps the token and tries again later', async () => {
    let calls = 0;
    const { keeper, time } = keeperWith(async () => {
      calls += 1;
      if (calls === 1) throw new Error('network down');
      return grant('after-retry');
    });
    keeper.accept(grant('first', 300));

    await expect(keeper.refresh()).rejects.toThrow('network down');
    expect(keeper.signedIn).toBe(true);
    expect(time.planned()).toEqual([10_000]);

    time.advance(10_000);
    await settle();
    expect(calls).toBe(2);
    expect(await keeper.token()).toBe('after-retry');
  });

  test('a logout while a renewal is under way wins: the late answer is dropped', async () => {
    let answer: (g: SessionGrant) => void = () => undefined;
    const { keeper, seen } = keeperWith(() => new Promise((resolve) => (answer = resolve)));
    keeper.accept(grant('first'));

    const renewal = keeper.refresh();
    keeper.clear();
    answer(grant('too-late'));

    expect(await renewal).toBeUndefined();
    expect(keeper.signedIn).toBe(false);
    expect(seen.grants.map((g) => g.accessToken)).toEqual(['first']);
  });

  test('a token past its expiry is not sent: a renewed one is', async () => {
    const { keeper, time } = keeperWith(async () => grant('fresh'));
    keeper.accept(grant('stale', 60));
    // The silent refresh did not happen (a sleeping laptop skips timers); the clock moved on.
    expect(time.planned()).toHaveLength(1);
    time.timers.clear(1);
    time.advance(61_000);

    expect(await keeper.token()).toBe('fresh');
  });
});

describe('authorizedFetch', () => {
  const echo = async (request: Request) =>
    new Response(JSON.stringify({ auth: request.headers.get('authorization'), body: await request.text() }), {
      status: request.headers.get('authorization') === 'Bearer good' ? 200 : 401,
    });

  test('sends the access token', async () => {
    const { keeper } = keeperWith(async () => grant('unused'));
    keeper.accept(grant('good'));

    const response = await authorizedFetch(keeper, echo)(new Request('http://x/api/v1/products'));

    expect(response.status).toBe(200);
    expect((await response.json()).auth).toBe('Bearer good');
  });

  test('on a 401 it renews the token once and sends the same request again, body included', async () => {
    let renewals = 0;
    const { keeper } = keeperWith(async () => {
      renewals += 1;
      return grant('good');
    });
    keeper.accept(grant('revoked-elsewhere'));

    const response = await authorizedFetch(
      keeper,
      echo,
    )(new Request('http://x/api/v1/sales', { method: 'POST', body: '{"lines":[]}' }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth: 'Bearer good', body: '{"lines":[]}' });
    expect(renewals).toBe(1);
  });

  test('a request refused again after the renewal is answered as it came, without a loop', async () => {
    let renewals = 0;
    const { keeper } = keeperWith(async () => {
      renewals += 1;
      return grant(`still-bad-${renewals}`);
    });
    keeper.accept(grant('bad'));

    const response = await authorizedFetch(keeper, echo)(new Request('http://x/api/v1/users'));

    expect(response.status).toBe(401);
    expect(renewals).toBe(1);
  });

  test('when the renewal finds the session ended, the 401 is answered and the session says it ended', async () => {
    const { keeper, seen } = keeperWith(async () => {
      throw new SessionEnded(true);
    });
    keeper.accept(grant('bad'));

    const response = await authorizedFetch(keeper, echo)(new Request('http://x/api/v1/users'));

    expect(response.status).toBe(401);
    expect(seen.ended).toHaveLength(1);
    expect(keeper.signedIn).toBe(false);
  });
});
