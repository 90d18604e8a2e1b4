import type { TokenPair } from '../../application/issue-tokens';
import type { PublicUser } from '../../domain/user';

export const presentUser = (user: PublicUser) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  fullName: user.fullName,
  role: user.role,
  active: user.active,
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});

const secondsUntil = (at: Date) => Math.max(0, Math.round((at.getTime() - Date.now()) / 1000));

export const presentTokens = (tokens: TokenPair) => ({
  tokenType: 'Bearer' as const,
  accessToken: tokens.accessToken,
  expiresIn: secondsUntil(tokens.accessTokenExpiresAt),
  refreshToken: tokens.refreshToken,
  refreshExpiresIn: secondsUntil(tokens.refreshTokenExpiresAt),
});
