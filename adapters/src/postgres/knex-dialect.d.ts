// Knex ships its pg dialect without types; prepared.ts gives it the shape it uses.
declare module 'knex/lib/dialects/postgres/index.js' {
  const PgDialect: unknown;
  export default PgDialect;
}
