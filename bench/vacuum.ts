// Before it measures, the bench has Postgres vacuum and analyze the service databases, as
// autovacuum does on a maintained server. Where autovacuum is off (as on these machines) or behind,
// every earlier run's rows stay dead and unanalyzed: plans go wrong and index-only scans read the
// heap, and the figures would measure the neglect, not the code. The report says which it was.
import pg from 'pg';
import type { Service } from './stack';

export async function vacuumDatabases(databases: Record<Service, string>): Promise<string> {
  let autovacuum = 'unknown';
  for (const url of Object.values(databases)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      autovacuum = (await client.query<{ autovacuum: string }>('show autovacuum')).rows[0]!.autovacuum;
      await client.query('vacuum (analyze)');
    } finally {
      await client.end();
    }
  }
  return `the service databases were vacuumed and analyzed before the run (autovacuum is ${autovacuum} on this server)`;
}
