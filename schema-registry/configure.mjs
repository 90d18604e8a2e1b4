#!/usr/bin/env node
// Sets the registry's global compatibility level: the `contracts` job of docker-compose.yml runs
// it before `npm run contracts:register` (the local stack calls the same function on start).
import { globalCompatibility, setGlobalCompatibility } from './registry.mjs';

const url = process.env.TULITY_REGISTRY_URL;
if (!url) {
  console.error(
    '[schema-registry] set TULITY_REGISTRY_URL to the Confluent-compatible API, e.g. http://schema-registry:8080/apis/ccompat/v7',
  );
  process.exit(2);
}
try {
  await setGlobalCompatibility(url);
  console.log(`[schema-registry] global compatibility ${globalCompatibility} at ${url}`);
} catch (error) {
  console.error(`[schema-registry] ${error.message}`);
  process.exit(1);
}
