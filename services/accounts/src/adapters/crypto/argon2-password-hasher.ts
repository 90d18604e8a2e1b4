import argon2 from 'argon2';
import type { PasswordHasher } from '../../application/ports';

/** OWASP's argon2id baseline (19 MiB, 2 passes); tests lower the cost, never the algorithm. */
const defaultArgon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export async function createArgon2PasswordHasher(cost = defaultArgon2Cost): Promise<PasswordHasher> {
  const hash = (password: string) => argon2.hash(password, { type: argon2.argon2id, ...cost });
  const decoy = await hash(`decoy-${Math.random()}`);
  return {
    hash,
    verify: (stored, password) => argon2.verify(stored, password),
    decoy,
  };
}
