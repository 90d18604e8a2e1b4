// `npm run contracts:register`: registers every subject of the catalogue with its compatibility
// level. Run by the stack's start, so it prints one line and is safe to run again.
import { entries } from '../src/catalogue';
import { assertReachable, defaultRegistryUrl, registerSubject } from '../src/registry';

const registryUrl = process.env.TULITY_REGISTRY_URL || defaultRegistryUrl;
try {
  await assertReachable(registryUrl);
} catch (error) {
  console.error(`[contracts] ${(error as Error).message}`);
  process.exit(1);
}
const results = await Promise.allSettled(entries.map((entry) => registerSubject(registryUrl, entry)));
const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
if (failures.length > 0) {
  for (const failure of failures)
    console.error(`[contracts] ${failure instanceof Error ? failure.message : String(failure)}`);
  process.exit(1);
}
const added = results.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value.added : 0), 0);
console.log(
  `[contracts] ${entries.length} subjects registered with their compatibility levels (${added} new versions)`,
);
