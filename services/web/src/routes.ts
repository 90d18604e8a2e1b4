/** Which service owns each `/api/v1/<resource>`; resource names are unique across services. */
export const owners: Record<string, string> = {
  auth: 'accounts',
  users: 'accounts',
  categories: 'products',
  units: 'products',
  products: 'products',
  sales: 'transactions',
  purchases: 'transactions',
  reports: 'transactions',
  notifications: 'notifications',
};

/** The owning service of a path such as `/api/v1/products/7/stock`, if any. */
export function ownerOf(path: string): string | undefined {
  const match = /^\/api\/v1\/([a-z-]+)(?:\/|$)/.exec(path);
  // Own names only: `constructor` or `__proto__` must not find Object.prototype's members.
  return match && Object.hasOwn(owners, match[1]!) ? owners[match[1]!] : undefined;
}
