import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { transaction } from '@tulity/adapters/postgres/transaction';
import { accessTokenAlgorithm, type JsonWebKeySet } from '@tulity/adapters/auth/authenticator';

export interface SigningKeyStore {
  /** The key new tokens are signed with: the newest one already active. */
  active(): Promise<{ kid: string; key: KeyObject }>;
  /** What `/auth/jwks` serves: the next key, the active one, and older ones whose tokens may still be alive. */
  publicKeys(): Promise<JsonWebKeySet>;
  /** Makes the first key, or the next one once the newest is older than `rotateAfterMs`. True when it made one. */
  rotateIfDue(now?: Date): Promise<boolean>;
  /** Makes a new key now; `immediately` skips the pre-publication delay (first key, tests, a leaked key). */
  rotate(options?: { now?: Date; immediately?: boolean }): Promise<string>;
}

export interface SigningKeyOptions {
  rotateAfterMs: number;
  /** How long a key stays published after its successor activated: at least the access-token lifetime. */
  publishRetiredForMs: number;
  /** How long this replica reuses what it read. */
  cacheMs?: number;
  /**
   * A new key is published this long before it signs, so every replica (which rereads keys every
   * `cacheMs`) knows it before any token signed with it reaches them.
   */
  activationDelayMs?: number;
  /** Epoch milliseconds; tests move it. */
  clock?: () => number;
}

type PublicJwk = JsonWebKeySet['keys'][number];

interface SigningKeyRow {
  kid: string;
  algorithm: string;
  private_jwk: JsonWebKey;
  public_jwk: PublicJwk;
  created_at: Date;
  activates_at: Date;
}

interface StoredKey {
  kid: string;
  key: KeyObject;
  publicJwk: PublicJwk;
  activatesAt: number;
}

// Replicas starting or rotating together take this lock, so exactly one new key is made.
const rotationLock = 80110001;

/** RFC 7638 thumbprint of an EC public key: a kid that names the key itself. */
function thumbprint({ crv, kty, x, y }: JsonWebKey): string {
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

export function createSigningKeys(db: Knex, options: SigningKeyOptions): SigningKeyStore {
  const cacheMs = options.cacheMs ?? 30_000;
  const activationDelayMs = options.activationDelayMs ?? 2 * cacheMs;
  const clock = options.clock ?? Date.now;
  let cached: { keys: StoredKey[]; loadedAt: number } | undefined;
  let published: { fingerprint: string; jwks: JsonWebKeySet } | undefined;

  async function keys(): Promise<StoredKey[]> {
    if (cached && clock() - cached.loadedAt < cacheMs) return cached.keys;
    const rows = await db<SigningKeyRow>('signing_keys').orderBy('activates_at', 'desc');
    const loaded = rows.map((row) => ({
      kid: row.kid,
      key: createPrivateKey({ key: row.private_jwk, format: 'jwk' }),
      publicJwk: row.public_jwk,
      activatesAt: row.activates_at.getTime(),
    }));
    cached = { keys: loaded, loadedAt: clock() };
    return loaded;
  }

  async function create(trx: Knex.Transaction, now: Date, activatesAt: Date): Promise<string> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = publicKey.export({ format: 'jwk' });
    const kid = thumbprint(publicJwk);
    await trx<SigningKeyRow>('signing_keys').insert({
      kid,
      algorithm: accessTokenAlgorithm,
      private_jwk: privateKey.export({ format: 'jwk' }),
      public_jwk: { ...publicJwk, kid, alg: accessTokenAlgorithm, use: 'sig' },
      created_at: now,
      activates_at: activatesAt,
    });
    await pruneRetired(trx, now);
    cached = undefined;
    return kid;
  }

  // A key whose successor activated longer ago than any token lives can sign nothing still accepted.
  async function pruneRetired(trx: Knex.Transaction, now: Date) {
    const horizon = new Date(now.getTime() - options.publishRetiredForMs);
    const successor = await trx<SigningKeyRow>('signing_keys')
      .where('activates_at', '<=', horizon)
      .orderBy('activates_at', 'desc')
      .first();
    if (successor) await trx('signing_keys').where('activates_at', '<', successor.activates_at).delete();
  }

  function lock<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return transaction(db, async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [rotationLock]);
      return work(trx);
    });
  }

  return {
    async active() {
      const now = clock();
      const current = (await keys()).find((key) => key.activatesAt <= now);
      if (!current) throw new Error('no active signing key: rotateIfDue() runs at start');
      return { kid: current.kid, key: current.key };
    },
    async publicKeys() {
      const now = clock();
      const all = await keys();
      const activeIndex = all.findIndex((key) => key.activatesAt <= now);
      const kids = all
        .filter(
          (_key, index) =>
            index === 0 || index <= activeIndex || all[index - 1]!.activatesAt > now - options.publishRetiredForMs,
        )
        .map((key) => key.publicJwk);
      // The same object while the set is unchanged, so verifiers can keep their imported keys.
      const fingerprint = kids.map((key) => key.kid).join(',');
      if (published?.fingerprint !== fingerprint) published = { fingerprint, jwks: { keys: kids } };
      return published.jwks;
    },
    rotateIfDue(now = new Date(clock())) {
      return lock(async (trx) => {
        const newest = await trx<SigningKeyRow>('signing_keys').orderBy('created_at', 'desc').first();
        if (!newest) {
          await create(trx, now, now);
          return true;
        }
        if (newest.created_at.getTime() + options.rotateAfterMs > now.getTime()) return false;
        await create(trx, now, new Date(now.getTime() + activationDelayMs));
        return true;
      });
    },
    rotate({ now = new Date(clock()), immediately = false } = {}) {
      return lock((trx) => create(trx, now, immediately ? now : new Date(now.getTime() + activationDelayMs)));
    },
  };
}
