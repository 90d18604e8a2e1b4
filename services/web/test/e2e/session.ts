// Signing in and out in a real browser: readable refusals, deep links that survive a reload,
// logout that Back cannot undo, navigation and pages filtered by role, and a session ended at
// accounts sending the user back to login with a message.
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { fitsWidth, phone, type E2e, type User } from './harness';

const navigationOf = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

export const sessionTests = (system: () => E2e) =>
  describe('sessions in the browser', () => {
    let e2e: E2e;
    let cashier: User;

    beforeAll(async () => {
      e2e = system().in('session');
      cashier = await e2e.createUser('cashier');
    });

    test('a wrong password is refused with a readable message, and the page fits a phone', async () => {
      const { page, context } = await e2e.newPage(phone);
      await page.goto('/');
      await page.getByLabel('Username').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');

      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByText('Enter your username.').isVisible()).toBe(true);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('certainly not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();

      expect(await alert.innerText()).toMatch(/username or password is wrong/i);
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      expect(await fitsWidth(page)).toBe(true);
      await e2e.screenshot(page, 'login-wrong-password-phone');
      await context.close();
    });

    test('the admin signs in with the keyboard and sees the dashboard and every page in the navigation', async () => {
      const { page, context } = await e2e.newPage();
      await page.goto('/login');
      await page.getByLabel('Username').waitFor();
      // The username field has the focus: type, Tab to the password, Enter submits.
      await page.keyboard.type('admin');
      await page.keyboard.press('Tab');
      await page.keyboard.type(e2e.adminPassword);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await heading(page).filter({ hasText: 'Dashboard' }).waitFor();

      expect(new URL(page.url()).pathname).toBe('/');
      expect(await navigationOf(page)).toEqual(expect.arrayContaining(['Dashboard', 'Products', 'Users', 'System']));
      // The session cookie is HttpOnly: no script on the page can read it.
      expect(await page.evaluate('document.cookie')).toBe('');
      const cookie = (await context.cookies()).find((c) => c.name === 'tulity_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/session' });
      await e2e.screenshot(page, 'dashboard-admin');
      await context.close();
    });

    test('a reload on a deep link stays on that page', async () => {
      const { page, context } = await e2e.signIn({ username: 'admin', password: e2e.adminPassword });
      await page.goto('/users');
      await heading(page).filter({ hasText: 'Users' }).waitFor();

      await page.reload();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await heading(page).filter({ hasText: 'Users' }).waitFor();

      expect(new URL(page.url()).pathname).toBe('/users');
      await e2e.screenshot(page, 'users-after-reload');
      await context.close();
    });

    test('after logout, Back returns to login, the session cannot be renewed, and the next sign-in starts afresh', async () => {
      const { page, context } = await e2e.signIn({ username: 'admin', password: e2e.adminPassword });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
      await heading(page).filter({ hasText: 'Products' }).waitFor();

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByText('You have signed out.').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.goBack();
      await page.getByLabel('Username').waitFor();

      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
      expect((await context.cookies()).some((c) => c.name === 'tulity_session')).toBe(false);
      await e2e.screenshot(page, 'after-logout-back');

      // The next person to sign in here starts at the dashboard, not on the page the last one left.
      const signInHere = async (user: { username: string; password: string }) => {
        await page.getByLabel('Username').fill(user.username);
        await page.getByLabel('Password').fill(user.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Log out' }).waitFor();
      };
      await signInHere(cashier);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales' }).click();
      await heading(page).filter({ hasText: 'Sales' }).waitFor();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByText('You have signed out.').waitFor();
      await signInHere({ username: 'admin', password: e2e.adminPassword });
      await heading(page).filter({ hasText: 'Dashboard' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await context.close();
    });

    test('a cashier’s navigation has no admin pages, and an admin address shows “not allowed”', async () => {
      const { page, context } = await e2e.signIn(cashier);
      const navigation = await navigationOf(page);

      expect(navigation).toEqual(expect.arrayContaining(['Dashboard', 'Point of sale', 'Sales']));
      for (const adminOnly of ['Users', 'System', 'Purchases']) expect(navigation).not.toContain(adminOnly);

      await page.goto('/users');
      await heading(page).filter({ hasText: 'Not allowed' }).waitFor();
      expect(await page.getByRole('alert').innerText()).toMatch(/not allowed to open this page/);
      await e2e.screenshot(page, 'cashier-not-allowed');
      await context.close();
    });

    test('at phone width the navigation opens from the menu button with the keyboard', async () => {
      const { page, context } = await e2e.signIn(cashier, phone);
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);

      await menu.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales' }).waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await fitsWidth(page)).toBe(true);
      await e2e.screenshot(page, 'phone-menu-open');

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales' }).press('Enter');
      await heading(page).filter({ hasText: 'Sales' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
      await context.close();
    });

    test('a session ended at accounts sends the user to login with a message', async () => {
      const { page, context } = await e2e.newPage();
      await page.goto('/login');
      await page.getByLabel('Username').fill(cashier.username);
      await page.getByLabel('Password').fill(cashier.password);
      const [login] = await Promise.all([
        page.waitForResponse((response) => new URL(response.url()).pathname === '/session/login'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      const { accessToken } = (await login.json()) as { accessToken: string };
      await page.getByRole('button', { name: 'Log out' }).waitFor();

      // Ended elsewhere: accounts revokes the session, as a logout on another device would.
      expect((await e2e.api('POST', '/api/v1/auth/logout', { token: accessToken })).status).toBe(204);
      await page.reload();
      await page.getByText('Your session has ended').waitFor();

      expect(new URL(page.url()).pathname).toBe('/login');
      await e2e.screenshot(page, 'session-ended');
      await context.close();
    });
  });
