// The catalogue in a real browser: an admin builds a category, units and a product with a box
// level, prices and stock through the pages; refusals (a category in use, stock that is not
// there, a product with stock) read as explanations; a cashier sees the same pages without any
// way to change them. Every page is screenshotted at desktop and phone width.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { fitsWidth, phone, pick, uniqueName, type E2e, type SignedIn } from './harness';

export const catalogueTests = (system: () => E2e) =>
  describe('the catalogue pages', () => {
    let e2e: E2e;
    let admin: SignedIn;
    const category = uniqueName('drinks');
    const piece = uniqueName('piece');
    const box = uniqueName('box');
    const sku = uniqueName('SKU').toUpperCase();
    const product = `Cola ${sku}`;
    let productPath = '';

    beforeAll(async () => {
      e2e = system().in('catalogue');
      admin = await e2e.signIn({ username: 'admin', password: e2e.adminPassword });
    });

    it('checks a category before sending it, then creates it', async () => {
      const { page } = admin;
      const sent: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') sent.push(new URL(request.url()).pathname);
      });
      await page.goto('/categories');
      await page.getByRole('button', { name: 'New category' }).click();
      await page.getByRole('button', { name: 'Create category' }).click();
      await page.locator('.field-error', { hasText: 'Must not be blank.' }).waitFor();
      // The form said so itself: nothing went to the server.
      expect(sent.filter((path) => path === '/api/v1/categories')).toEqual([]);

      await page.getByLabel('Name', { exact: true }).fill(category);
      await page.getByLabel('Description').fill('Cold drinks\nand juices');
      await page.getByRole('button', { name: 'Create category' }).click();
      await page.getByRole('status').getByText(`Category “${category}” created.`).waitFor();

      await page.getByLabel('Search categories').fill(category);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('rowheader', { name: category }).waitFor();
      expect(new URL(page.url()).searchParams.get('q')).toBe(category);
      await e2e.screenshot(page, 'categories');
    });

    it('creates a base unit and a box unit', async () => {
      const { page } = admin;
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
      await page.getByLabel('Search units').fill(piece);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('rowheader', { name: piece }).waitFor();
      await e2e.screenshot(page, 'units');
    });

    it('creates a product with a box of 12 and prices, one of them scheduled', async () => {
      const { page } = admin;
      await page.goto('/products/new');
      await page.getByLabel('Name', { exact: true }).fill(product);
      await page.getByLabel('SKU').fill(sku);
      await pick(page, 'Find category', 'Category', category);
      await pick(page, 'Find base unit', 'Base unit', piece, `${piece} (pc)`);
      await page.getByLabel('Low-stock threshold').fill('5');
      await e2e.screenshot(page, 'product-new');
      await page.getByRole('button', { name: 'Create product' }).click();
      await page.getByRole('heading', { level: 1, name: product }).waitFor();
      productPath = new URL(page.url()).pathname;
      expect(productPath).toMatch(/^\/products\/[0-9a-f-]{36}$/);

      await pick(page, 'Find unit', 'Unit', box, `${box} (box)`);
      await page.getByLabel('Factor', { exact: true }).fill('12');
      await page.getByRole('button', { name: 'Add unit level' }).click();
      await page.getByRole('status').getByText('Unit level added: one holds 12 pc.').waitFor();

      const setPrice = async (level: string, sell: string, buy: string, from = '') => {
        await page.getByLabel('Unit level', { exact: true }).selectOption({ label: level });
        await page.getByLabel('Sell price').fill(sell);
        await page.getByLabel('Buy price').fill(buy);
        if (from) await page.getByLabel('Takes effect').fill(from);
        await page.getByRole('button', { name: 'Set price' }).click();
        await page
          .getByRole('status')
          .getByText(`New price of ${level} ${from ? 'scheduled' : 'in force'}.`)
          .waitFor();
      };
      await setPrice(`${piece} (base unit)`, '1.50', '0.90');
      await setPrice(`${box} (12 pc)`, '15.00', '9.60');
      await setPrice(`${box} (12 pc)`, '16.00', '9.60', '2099-01-01T09:00');

      const inForce = page.getByRole('table', { name: 'In force now' });
      await inForce.getByRole('row', { name: new RegExp(`${box}.*€15\\.00.*€9\\.60`) }).waitFor();
      const history = page.getByRole('table', { name: 'Schedule and history' });
      await history.getByRole('row', { name: /€16\.00.*Scheduled/ }).waitFor();
      expect(await history.getByRole('row', { name: /In force/ }).count()).toBe(2);
    });

    it('changes and deletes the scheduled price, and explains why a priced level stays', async () => {
      const { page } = admin;
      const history = page.getByRole('table', { name: 'Schedule and history' });
      await history.getByRole('button', { name: `Edit scheduled price of ${box} (12 pc)` }).click();
      const edit = page.getByRole('form', { name: `Change the scheduled price of ${box} (12 pc)` });
      expect(await edit.getByLabel('Sell price').inputValue()).toBe('16.00');
      await edit.getByLabel('Sell price').fill('17.25');
      await edit.getByRole('button', { name: 'Save price' }).click();
      await page.getByRole('status').getByText(`The scheduled price of ${box} (12 pc) was changed.`).waitFor();
      await history.getByRole('row', { name: /€17\.25.*Scheduled/ }).waitFor();

      await history.getByRole('button', { name: `Delete scheduled price of ${box} (12 pc)` }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByRole('status').getByText(`The scheduled price of ${box} (12 pc) was deleted.`).waitFor();
      await history.getByRole('row', { name: /Scheduled/ }).waitFor({ state: 'detached' });
      expect(await history.getByRole('row', { name: /In force/ }).count()).toBe(2);

      await page.getByRole('button', { name: `Delete level ${box}` }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Not possible' });
      await alert.getByText('Prices still refer to this unit level; delete them first.').waitFor();
      await alert.getByText('Prices that took effect are kept as history', { exact: false }).waitFor();
    });

    it('finds the product by search, and a reload keeps the search', async () => {
      const { page } = admin;
      await page.goto('/products');
      await page.getByLabel('Search products').fill(sku);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByRole('link', { name: product }).waitFor();
      await page.reload();
      await page.getByRole('link', { name: product }).waitFor();
      expect(await page.getByLabel('Search products').inputValue()).toBe(sku);
      expect(await page.getByRole('table', { name: 'Products' }).getByRole('row').count()).toBe(2);
      await e2e.screenshot(page, 'products');
    });

    it('edits the product', async () => {
      const { page } = admin;
      await page.getByRole('link', { name: product }).click();
      await page.getByRole('link', { name: 'Edit product' }).click();
      await page.getByLabel('Name', { exact: true }).fill(`${product} 0.33 l`);
      await e2e.screenshot(page, 'product-edit');
      await page.getByRole('button', { name: 'Save product' }).click();
      await page.getByRole('heading', { level: 1, name: `${product} 0.33 l` }).waitFor();
      expect(new URL(page.url()).pathname).toBe(productPath);
    });

    it('adjusts the stock, shows the ledger line, and explains what cannot be taken', async () => {
      const { page } = admin;
      const adjust = page.getByRole('form', { name: 'Adjust stock' });
      await adjust.getByLabel('Quantity').fill('30');
      await adjust.getByLabel('Reason').fill('Opening count');
      await adjust.getByRole('button', { name: 'Adjust stock' }).click();
      await page.getByRole('status').getByText('Stock adjusted by +30 pc.').waitFor();
      const ledger = page.getByRole('table', { name: 'Movements' });
      await ledger.getByRole('row', { name: /\+30 30 Manual adjustment Opening count/ }).waitFor();
      await page.getByText('= 2 box + 6 pc').waitFor();

      await adjust.getByLabel('Change').selectOption({ label: 'Remove from stock' });
      await adjust.getByLabel('Quantity').fill('100');
      await adjust.getByLabel('Reason').fill('Typo test');
      await adjust.getByRole('button', { name: 'Adjust stock' }).click();
      // The server's 409 names the field: its words sit next to Quantity, with what to do above.
      await adjust.getByText('Count the shelf again, or remove at most what is in stock.').waitFor();
      await adjust.locator('.field-error', { hasText: 'Only 30 in stock; cannot take 100.' }).waitFor();
      expect(await ledger.getByRole('row').count()).toBe(2);
      await e2e.screenshot(page, 'product');
    });

    it('explains why a product with stock cannot be deleted', async () => {
      const { page } = admin;
      await page.getByRole('button', { name: 'Delete product' }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Not possible' });
      await alert.getByText('The product still has 30 in stock; adjust it to zero first.').waitFor();
      await alert.getByText('mark it inactive', { exact: false }).waitFor();
      expect(new URL(page.url()).pathname).toBe(productPath);
    });

    it('explains why a category in use cannot be deleted, and links to its products', async () => {
      const { page } = admin;
      await page.goto(`/categories?q=${encodeURIComponent(category)}`);
      await page.getByRole('button', { name: `Delete ${category}` }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Not possible' });
      await alert.getByText('Products still belong to this category.').waitFor();
      await alert.getByText('Move its products to another category', { exact: false }).waitFor();
      await e2e.screenshot(page, 'categories-in-use');
      await alert.getByRole('link', { name: `Show the products in “${category}”` }).click();
      await page.getByRole('link', { name: `${product} 0.33 l` }).waitFor();
      expect(new URL(page.url()).searchParams.get('categoryId')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('shows the dashboard with today, pending sales, low stock, notifications and services', async () => {
      const { page } = admin;
      await page.goto('/');
      for (const card of ['Today', 'Pending sales', 'Low stock', 'Latest notifications', 'Services']) {
        await page.getByRole('heading', { level: 2, name: card }).waitFor();
      }
      await page.getByText('Sales confirmed').waitFor();
      await page.waitForFunction(() => (globalThis as any).document.querySelector('.loading') === null);
      await e2e.screenshot(page, 'dashboard');
    });

    it('fits a phone: no page is wider than 375 px', async () => {
      const { page, context } = await e2e.signIn({ username: 'admin', password: e2e.adminPassword }, phone);
      const pages = [
        ['dashboard', '/', 'Services'],
        ['product', productPath, 'Prices'],
        ['products', `/products?q=${sku}`, 'Products'],
        ['categories', '/categories', 'Categories'],
        ['units', '/units', 'Units'],
      ] as const;
      for (const [name, path, heading] of pages) {
        await page.goto(path);
        await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
        await page.waitForFunction(() => (globalThis as any).document.querySelector('.loading') === null);
        expect({ path, fits: await fitsWidth(page) }).toEqual({ path, fits: true });
        await e2e.screenshot(page, `phone-${name}`);
      }
      await context.close();
    });

    it('lets a cashier read the catalogue but offers no way to change it', async () => {
      const cashier = await e2e.createUser('cashier');
      const { page, context } = await e2e.signIn(cashier);

      await page.goto(`/products?q=${sku}`);
      await page.getByRole('link', { name: `${product} 0.33 l` }).waitFor();
      expect(await page.getByRole('link', { name: 'New product' }).count()).toBe(0);
      await e2e.screenshot(page, 'cashier-products');

      await page.getByRole('link', { name: `${product} 0.33 l` }).click();
      await page
        .getByRole('table', { name: 'Movements' })
        .getByRole('row', { name: /Opening count/ })
        .waitFor();
      for (const name of [
        'Edit product',
        'Delete product',
        'Adjust stock',
        'Add unit level',
        'Set price',
        'Change factor',
      ]) {
        expect({ name, count: await page.getByRole('button', { name, exact: false }).count() }).toEqual({
          name,
          count: 0,
        });
      }
      expect(await page.getByRole('link', { name: 'Edit product' }).count()).toBe(0);
      expect(await page.getByRole('form').count()).toBe(0);
      await e2e.screenshot(page, 'cashier-product');

      for (const [path, kind] of [
        [`/categories?q=${encodeURIComponent(category)}`, 'category'],
        [`/units?q=${encodeURIComponent(piece)}`, 'unit'],
      ] as const) {
        await page.goto(path);
        await page.getByRole('rowheader').first().waitFor();
        expect(await page.getByRole('button', { name: `New ${kind}` }).count()).toBe(0);
        expect(await page.getByRole('button', { name: /^(Edit|Delete)/ }).count()).toBe(0);
        await e2e.screenshot(page, `cashier-${kind}`);
      }

      await page.goto('/products/new');
      await page.getByRole('heading', { name: 'Not allowed' }).waitFor();

      await page.goto('/');
      await page.getByRole('heading', { level: 2, name: 'Your sales today' }).waitFor();
      await e2e.screenshot(page, 'cashier-dashboard');
      await context.close();
    });
  });
