/** Reads one setting from the environment; a missing required one stops start-up with its name. */
export function setting(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`missing setting ${name}: set it in the environment (npm start sets it for you)`);
  }
  return value;
}

/** The settings every service shares; each composition root adds its own. */
export function commonSettings(service: string, defaultPort: number) {
  return {
    service,
    port: Number(setting('PORT', String(defaultPort))),
    databaseUrl: setting(
      'DATABASE_URL',
      `postgres://tulity_${service}:tulity_${service}@127.0.0.1:5432/tulity_${service}`,
    ),
    kafkaBrokers: setting('TULITY_KAFKA_BROKERS', '127.0.0.1:9092').split(','),
    registryUrl: setting('TULITY_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7'),
  };
}
