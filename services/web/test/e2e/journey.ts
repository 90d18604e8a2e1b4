// The main journey in a real browser, every step through the pages: an admin builds a product with
// a box level and prices (the catalogue pages) and buys stock (the purchase page); a cashier, in a
// second browser, sells two boxes at the till, sees the sale confirmed and the notification arrive
// live, cancels it, and the stock is back on the product page; a sale larger than the stock is
// rejected with the shortage; a cashier has no users page; logging out and going back lands on
// login. Every page is screenshotted.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { fitsWidth, phone, pick, uniqueName, type E2e, type SignedIn, type User } from './harness';

/** Reloads `path` until `text` shows: what products applied from an event shows up on the next read. */
async function reloadUntil(page: Page, path: string, text: string | RegExp, attempts = 60) {
  for (let attempt = 1; ; attempt++) {
    await page.goto(path);
    const found = page.getByText(text).first();
    try {
      await found.waitFor({ timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

export const journeyTests = (system: () => E2e) =>
  describe('the journey from the catalogue to the till', () => {
    let e2e: E2e;
    let admin: SignedIn;
    let cashier: SignedIn;
    let cashierUser: User;
    const category = uniqueName('journey');
    const piece = uniqueName('pc');
    const box = uniqueName('box');
    const sku = uniqueName('J').toUpperCase();
    const product = `Lemonade ${sku}`;
    let productPath = '';

    beforeAll(async () => {
      e2e = system().in('journey');
      admin = await e2e.signIn({ username: 'admin', password: e2e.adminPassword });
    });

    it('an admin creates a category, units and a product with a box of 12 and prices through the pages', async () => {
      const { page } = admin;
      await page.goto('/categories');
      await page.getByRole('button', { name: 'New category' }).click();
      await page.getByLabel('Name', { exact: true }).fill(category);
      await page.getByRole('button', { name: 'Create category' }).click();
      await page.getByRole('status').getByText(`Category “${category}” created.`).waitFor();

      await page.goto('/units');
      for (const [name, abbreviation] of [
        [piece, 'pc'],
        [box, 'box'],
      ] as const) {
        await page.getByRole('button', { name: 'New unit' }).click();
        await page.getByLabel('Name', { exact: true }).fill(name);
        await page.getByLabel('Abbreviation').fill(abbreviation);
        await page.getByRole('button', { name: 'Create unit' }).click();
        await page.getByRole('status').getByText(`Unit “${name}” created.`).waitFor();
      }

      await page.goto('/products/new');
      await page.getByLabel('Name', { exact: true }).fill(product);
      await page.getByLabel('SKU').fill(sku);
      await pick(page, 'Find category', 'Category', category);
      await pick(page, 'Find base unit', 'Base unit', piece, `${piece} (pc)`);
      await page.getByRole('button', { name: 'Create product' }).click();
      await page.getByRole('heading', { level: 1, name: product }).waitFor();
      productPath = new URL(page.url()).pathname;

      await pick(page, 'Find unit', 'Unit', box, `${box} (box)`);
      await page.getByLabel('Factor', { exact: true }).fill('12');
      await page.getByRole('button', { name: 'Add unit level' }).click();
      // The new level becomes something a price can be set for.
      await page
        .getByLabel('Unit level', { exact: true })
        .locator('option', { hasText: `${box} (12 pc)` })
        .waitFor({ state: 'attached' });
      for (const [level, sell, buy] of [
        [`${piece} (base unit)`, '1.50', '0.90'],
        [`${box} (12 pc)`, '15.00', '9.60'],
      ] as const) {
        await page.getByLabel('Unit level', { exact: true }).selectOption({ label: level });
        await page.getByLabel('Sell price').fill(sell);
        await page.getByLabel('Buy price').fill(buy);
        await page.getByRole('button', { name: 'Set price' }).click();
        await page
          .getByRole('table', { name: 'In force now' })
          .getByRole('row', { name: new RegExp(`${level.split(' ')[0]}.*€${sell.replace('.', '\\.')}`) })
          .waitFor();
      }
      await e2e.screenshot(page, 'product-created');
    });

    it('records a purchase of 3 boxes, checked before sending, and the stock arrives', async () => {
      const { page } = admin;
      await page.goto('/purchases/new');
      await page.getByRole('button', { name: 'Record the purchase' }).click();
      await page.locator('.field-error', { hasText: 'Enter the supplier.' }).waitFor();
      await page.getByText('Add at least one product.').waitFor();

      await page.getByLabel('Supplier', { exact: true }).fill(`Journey Wholesale ${sku}`);
      await page.getByLabel("Supplier's reference (optional)").fill('INV-1');
      const find = page.getByLabel('Add a product (name, SKU or barcode)');
      await find.fill(sku);
      await find.press('Enter');
      const line = page.getByRole('group', { name: new RegExp(product) });
      // Goods come in their largest unit by default.
      expect(await line.getByLabel('Unit').inputValue()).not.toBe('');
      await line.getByLabel('Unit').selectOption({ label: `${box} (12)` });
      await line.getByLabel('Quantity').fill('3');
      await page.getByText('Total: €28.80').waitFor();
      await e2e.screenshot(page, 'purchase-new');
      await page.getByRole('button', { name: 'Record the purchase' }).click();
      await page.waitForURL(/\/purchases\/[0-9a-f-]{36}$/);
      await page.getByRole('cell', { name: /3 .*\(36 base\)/ }).waitFor();
      await e2e.screenshot(page, 'purchase');

      await page.goto('/purchases');
      await page.getByLabel('Search suppliers').fill(sku);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('cell', { name: new RegExp(`Journey Wholesale ${sku}`) }).waitFor();
      expect(new URL(page.url()).searchParams.get('q')).toBe(sku);
      await e2e.screenshot(page, 'purchases');

      await reloadUntil(page, productPath, '36 pc');
    });

    it('a cashier sells two boxes at the till: totals and change before the answer, then confirmed, with the notification live', async () => {
      cashierUser = await e2e.createUser('cashier', 'till');
      cashier = await e2e.signIn(cashierUser);
      const { page } = cashier;
      await page.goto('/pos');
      const find = page.getByLabel('Find a product (name, SKU or barcode)');
      await find.fill(sku);
      await find.press('Enter');
      await page.getByLabel(`Unit of ${product}`).selectOption({ label: `${box} (12) · €15.00` });
      await page.getByLabel(`Quantity of ${product}`).fill('2');
      await page.keyboard.press('F4');
      await page.keyboard.type('40');
      // A new cashier may already have notifications (announcements to everyone): count from here.
      const badge = page.getByTestId('unread-badge');
      const unreadBefore = (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
      // The till's own figures, before anything is sent.
      expect(await page.getByTestId('pos-total').textContent()).toBe('€30.00');
      expect(await page.getByTestId('pos-change').textContent()).toBe('Change: €10.00');
      await e2e.screenshot(page, 'pos-cart');

      await page.keyboard.press('Control+Enter');
      const confirmed = page.locator('[data-status="confirmed"]');
      await confirmed.waitFor();
      expect(await confirmed.textContent()).toContain('Change €10.00');
      // The notification comes through the live stream: no reload.
      await badge.getByText(String(unreadBefore + 1), { exact: true }).waitFor();
      await e2e.screenshot(page, 'pos-confirmed');

      await page.getByRole('link', { name: `Notifications, ${unreadBefore + 1} unread` }).click();
      await page.getByText('Sale confirmed').first().waitFor();
      await e2e.screenshot(page, 'notifications');
      await page.goBack();
    });

    it('the cashier cancels the sale and the stock is back on the product page', async () => {
      const { page } = cashier;
      await page.goto('/sales');
      await page.getByRole('cell', { name: 'Confirmed' }).first().waitFor();
      await e2e.screenshot(page, 'sales');
      await page
        .getByRole('row', { name: new RegExp(`2 × ${product}`) })
        .getByRole('link')
        .click();
      await page.locator('[data-status="confirmed"]').waitFor();
      await e2e.screenshot(page, 'sale');
      await page.getByRole('button', { name: 'Cancel sale' }).click();
      await page.getByRole('button', { name: 'Cancel the sale' }).click();
      await page.locator('.field-error', { hasText: 'Say why the sale is cancelled.' }).waitFor();
      await page.getByLabel('Why is the sale cancelled?').fill('Customer changed their mind');
      await page.getByRole('button', { name: 'Cancel the sale' }).click();
      await page.locator('[data-status="cancelled"]').waitFor();
      await e2e.screenshot(page, 'sale-cancelled');

      // After the sale, 12 pieces were left; the cancellation puts the 24 back.
      await reloadUntil(admin.page, productPath, '36 pc');
      await admin.page
        .getByRole('row', { name: /Sale cancelled or rejected/ })
        .first()
        .waitFor();
      await e2e.screenshot(admin.page, 'product-stock-restored');
    });

    it('a sale larger than the stock is warned about at the till and rejected with the shortage', async () => {
      const { page } = cashier;
      await page.goto('/pos');
      const find = page.getByLabel('Find a product (name, SKU or barcode)');
      await find.fill(sku);
      await find.press('Enter');
      await page.getByLabel(`Unit of ${product}`).selectOption({ label: `${box} (12) · €15.00` });
      await page.getByLabel(`Quantity of ${product}`).fill('4');
      await page.getByText(`${product}: 48 ${piece} in the cart, 36 ${piece} were in stock.`).waitFor();
      await page.getByLabel('Card').check();
      await page.getByRole('button', { name: 'Complete sale · €60.00' }).click();
      const rejected = page.locator('[data-status="rejected"]');
      await rejected.waitFor();
      await rejected.getByText('Not enough stock.').waitFor();
      await rejected.getByText(`${product}: 48 ${piece} asked, 36 ${piece} in stock`).waitFor();
      await e2e.screenshot(page, 'pos-rejected');

      await page.setViewportSize(phone);
      expect(await fitsWidth(page)).toBe(true);
      await e2e.screenshot(page, 'phone-pos-rejected');
    });

    it('an admin returns part of a confirmed sale and the stock comes back', async () => {
      const { page } = admin;
      await page.goto('/pos');
      const find = page.getByLabel('Find a product (name, SKU or barcode)');
      await find.fill(sku);
      await find.press('Enter');
      await page.getByLabel(`Unit of ${product}`).selectOption({ label: `${box} (12) · €15.00` });
      await page.getByLabel(`Quantity of ${product}`).fill('2');
      await page.getByLabel('Card').check();
      await page.keyboard.press('Control+Enter');
      await page.locator('[data-status="confirmed"]').waitFor();
      await page.getByRole('link', { name: 'Open the sale' }).click();

      const form = page.getByRole('form', { name: 'Return items' });
      await form.getByLabel(`${product} (${box}), up to 2`).fill('3');
      await form.getByText('At most 2.').waitFor();
      await form.getByLabel(`${product} (${box}), up to 2`).fill('1');
      await form.getByLabel('Reason (optional)').fill('Dented box');
      await form.getByRole('button', { name: 'Return and refund' }).click();
      await page.getByRole('listitem').filter({ hasText: 'refunded €15.00 — Dented box' }).waitFor();
      await e2e.screenshot(page, 'sale-returned');

      // 36 − 24 sold + 12 returned.
      await reloadUntil(page, productPath, '24 pc');
      await page
        .getByRole('row', { name: /Return/ })
        .first()
        .waitFor();
    });

    it('a cashier has no users page, an admin has it and the system page', async () => {
      const { page } = cashier;
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
      await page.goto('/users');
      await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
      await e2e.screenshot(page, 'cashier-users');

      await admin.page.goto(`/users?q=${cashierUser.username}`);
      await admin.page.getByRole('link', { name: cashierUser.username }).waitFor();
      await e2e.screenshot(admin.page, 'users');
      await admin.page.goto('/monitoring');
      await admin.page.getByRole('heading', { level: 2, name: 'Event flow' }).waitFor();
      await admin.page.getByRole('rowheader', { name: /transactions\.sale/ }).waitFor();
      await e2e.screenshot(admin.page, 'system');
    });

    it('an admin adds a user through the page, changes the role, deactivates and deletes them', async () => {
      const { page } = admin;
      const username = uniqueName('clerk');
      await page.goto('/users');
      await page.getByRole('button', { name: 'Add a user' }).click();
      const form = page.getByRole('form', { name: 'New user' });
      await form.getByLabel('Username').fill('X');
      await form.getByLabel('Password').fill('short');
      await form.getByRole('button', { name: 'Add the user' }).click();
      await form.getByText('Use at least 12 characters (this one has 5).').waitFor();
      await form.getByText('Enter an email address like name@example.com.').waitFor();
      await form.getByLabel('Username').fill(username);
      await form.getByLabel('Full name').fill('Clerk Journey');
      await form.getByLabel('Email').fill(`${username}@e2e.test`);
      await form.getByLabel('Password').fill('a long enough passphrase');
      await e2e.screenshot(page, 'user-new');
      await form.getByRole('button', { name: 'Add the user' }).click();
      await form.waitFor({ state: 'detached' });

      await page.getByRole('searchbox').fill(username);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: username }).click();
      await page.getByRole('heading', { level: 1, name: `User ${username}` }).waitFor();
      await page.getByLabel('Role').selectOption({ label: 'Manager' });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved. The user signs in again to get the new role.').waitFor();
      await page.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByText('Deactivated.', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Reactivate' }).waitFor();
      await e2e.screenshot(page, 'user');
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.waitForURL(/\/users$/);
    });

    it('fits a phone: no page of the till, sales, purchases, notifications, users or system is wider than 375 px', async () => {
      const { page, context } = await e2e.signIn({ username: 'admin', password: e2e.adminPassword }, phone);
      for (const [name, path, heading] of [
        ['pos', '/pos', 'Point of sale'],
        ['sales', '/sales', 'Sales'],
        ['purchases', '/purchases', 'Purchases'],
        ['purchase-new', '/purchases/new', 'Record a purchase'],
        ['notifications', '/notifications', 'Notifications'],
        ['users', '/users', 'Users'],
        ['system', '/monitoring', 'System'],
      ] as const) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        expect({ path, fits: await fitsWidth(page) }).toEqual({ path, fits: true });
        await e2e.screenshot(page, `phone-${name}`);
      }
      await context.close();
    });

    it('logging out, then going back, lands on the login page', async () => {
      const { page } = cashier;
      await page.goto('/pos');
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.goBack();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
    });
  });
