import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { NotificationBell } from '../pages/notifications/notification-bell';
import { pages } from './pages';
import { useSession } from './session';

const roleNames = { admin: 'Administrator', manager: 'Manager', cashier: 'Cashier' } as const;

/** The frame around every signed-in page: navigation filtered by role, the user, logout. */
export function Layout() {
  const { user, logout } = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const navigation = pages.filter((page) => page.nav && page.roles.includes(user.role));

  // On a phone the menu covers the page: close it once a link was followed.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Tulity Retail
        </NavLink>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-navigation"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <nav id="main-navigation" aria-label="Main" className={menuOpen ? 'nav open' : 'nav'}>
          <ul>
            {navigation.map((page) => (
              <li key={page.path}>
                <NavLink to={page.path} end={page.path === '/'}>
                  {page.nav}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <NotificationBell />
          <span className="user" title={user.fullName}>
            {user.username} <span className="role">{roleNames[user.role]}</span>
          </span>
          <button type="button" className="secondary" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
