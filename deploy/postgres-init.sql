-- One database and one login role per service, and one for the schema registry (Apicurio stores
-- its schemas there, schema-registry/compose.env); a role can connect to its own database only.
-- Passwords here are for a local compose deployment; set real ones through your secret store.
CREATE ROLE tulity_accounts LOGIN PASSWORD 'tulity_accounts';
CREATE ROLE tulity_notifications LOGIN PASSWORD 'tulity_notifications';
CREATE ROLE tulity_products LOGIN PASSWORD 'tulity_products';
CREATE ROLE tulity_transactions LOGIN PASSWORD 'tulity_transactions';
CREATE ROLE tulity_registry LOGIN PASSWORD 'tulity_registry';
CREATE DATABASE tulity_accounts OWNER tulity_accounts;
CREATE DATABASE tulity_notifications OWNER tulity_notifications;
CREATE DATABASE tulity_products OWNER tulity_products;
CREATE DATABASE tulity_transactions OWNER tulity_transactions;
CREATE DATABASE tulity_registry OWNER tulity_registry;
REVOKE CONNECT, TEMPORARY ON DATABASE tulity_accounts, tulity_notifications, tulity_products, tulity_transactions, tulity_registry FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE tulity_accounts TO tulity_accounts;
GRANT CONNECT, TEMPORARY ON DATABASE tulity_notifications TO tulity_notifications;
GRANT CONNECT, TEMPORARY ON DATABASE tulity_products TO tulity_products;
GRANT CONNECT, TEMPORARY ON DATABASE tulity_transactions TO tulity_transactions;
GRANT CONNECT, TEMPORARY ON DATABASE tulity_registry TO tulity_registry;
