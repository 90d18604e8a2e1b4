// The one list of pages: each area adds its entries here with a small edit. `nav` puts the page in
// the navigation; `roles` says who may open it (others get the "not allowed" page; the server
// still refuses what they may not do). Paths are absolute; a page with parameters has no `nav`.
import type { ReactNode } from 'react';
import { CategoriesPage } from '../pages/categories/categories-page';
import { DashboardPage } from '../pages/dashboard/dashboard-page';
import { EditProductPage, NewProductPage } from '../pages/products/product-editor';
import { ProductPage } from '../pages/products/product-page';
import { ProductsPage } from '../pages/products/products-page';
import { UnitsPage } from '../pages/units/units-page';
import { NotificationsPage } from '../pages/notifications/notifications-page';
import { PosPage } from '../pages/pos/pos-page';
import { PurchaseNewPage } from '../pages/purchases/purchase-new-page';
import { PurchasePage } from '../pages/purchases/purchase-page';
import { PurchasesPage } from '../pages/purchases/purchases-page';
import { SalePage } from '../pages/sales/sale-page';
import { SalesPage } from '../pages/sales/sales-page';
import { SystemPage } from '../pages/system/system-page';
import { UserPage } from '../pages/users/user-page';
import { UsersPage } from '../pages/users/users-page';
import type { Role } from './session';

export interface PageEntry {
  path: string;
  nav?: string;
  roles: readonly Role[];
  element: ReactNode;
}

export const everyone: readonly Role[] = ['admin', 'manager', 'cashier'];
export const staff: readonly Role[] = ['admin', 'manager'];
export const admins: readonly Role[] = ['admin'];

export const pages: PageEntry[] = [
  // CATALOGUE: dashboard, products, categories, units.
  { path: '/', nav: 'Dashboard', roles: everyone, element: <DashboardPage /> },
  { path: '/products', nav: 'Products', roles: everyone, element: <ProductsPage /> },
  { path: '/products/new', roles: staff, element: <NewProductPage /> },
  { path: '/products/:id', roles: everyone, element: <ProductPage /> },
  { path: '/products/:id/edit', roles: staff, element: <EditProductPage /> },
  { path: '/categories', nav: 'Categories', roles: everyone, element: <CategoriesPage /> },
  { path: '/units', nav: 'Units', roles: everyone, element: <UnitsPage /> },
  // SALES: point of sale, sales, purchases, notifications, users, system.
  { path: '/pos', nav: 'Point of sale', roles: everyone, element: <PosPage /> },
  { path: '/sales', nav: 'Sales', roles: everyone, element: <SalesPage /> },
  { path: '/sales/:id', roles: everyone, element: <SalePage /> },
  { path: '/purchases', nav: 'Purchases', roles: staff, element: <PurchasesPage /> },
  { path: '/purchases/new', roles: staff, element: <PurchaseNewPage /> },
  { path: '/purchases/:id', roles: staff, element: <PurchasePage /> },
  { path: '/notifications', nav: 'Notifications', roles: everyone, element: <NotificationsPage /> },
  { path: '/users', nav: 'Users', roles: admins, element: <UsersPage /> },
  { path: '/users/:id', roles: admins, element: <UserPage /> },
  { path: '/monitoring', nav: 'System', roles: admins, element: <SystemPage /> },
];
