// Each service's OpenAPI document, built offline from its route table (no service, no database):
//   npm run openapi:lint       Redocly's recommended rules, every warning an error (redocly.yaml)
//   npm run openapi:generate   the web client's types, services/web/client/src/api/generated/<service>.ts
//   npm run openapi:check      fails naming each generated file that openapi:generate would change
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { accountsDocument } from '../services/accounts/src/adapters/http/openapi';
import { notificationsDocument } from '../services/notifications/src/adapters/http/openapi';
import { productsDocument } from '../services/products/src/adapters/http/openapi';
import { transactionsDocument } from '../services/transactions/src/adapters/http/openapi';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** By service: the document it serves at /openapi.json. */
export const documents: Record<string, () => object> = {
  accounts: accountsDocument,
  notifications: notificationsDocument,
  products: productsDocument,
  transactions: transactionsDocument,
};

export const generatedDir = path.join(root, 'services/web/client/src/api/generated');
const generatedFile = (service: string) => path.join(generatedDir, `${service}.ts`);

/** The TypeScript types of a document (`paths`, `components`, `operations`), as openapi-typescript's CLI writes them. */
export async function typesOf(document: object): Promise<string> {
  return `${COMMENT_HEADER}${astToString(await openapiTS(document as OpenAPI3, { silent: true }))}`;
}

/** The generated files that differ from what the documents give now, as paths from the root. */
export async function staleFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [service, document] of Object.entries(documents)) {
    const file = generatedFile(service);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== (await typesOf(document()))) stale.push(path.relative(root, file));
  }
  return stale;
}

async function generate() {
  for (const [service, document] of Object.entries(documents)) {
    writeFileSync(generatedFile(service), await typesOf(document()));
    console.log(`openapi: wrote ${path.relative(root, generatedFile(service))}`);
  }
}

async function check() {
  const stale = await staleFiles();
  for (const file of stale) {
    console.error(`openapi: ${file} is stale: the API changed; run npm run openapi:generate and commit the result`);
  }
  if (stale.length > 0) process.exit(1);
  console.log('openapi: generated client types are up to date');
}

/** Writes the documents to .stack/openapi/ (ignored; open them there) and lints them with redocly.yaml. */
function lint() {
  const dir = path.join(root, '.stack/openapi');
  mkdirSync(dir, { recursive: true });
  const files = Object.entries(documents).map(([service, document]) => {
    const file = path.join(dir, `${service}.json`);
    writeFileSync(file, `${JSON.stringify(document(), null, 2)}\n`);
    return path.relative(root, file);
  });
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/redocly'),
    ['lint', '--config', 'redocly.yaml', ...files],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'lint') lint();
  else if (command === 'generate') await generate();
  else if (command === 'check') await check();
  else {
    console.error('usage: node --import tsx stack/openapi.ts lint|generate|check');
    process.exit(2);
  }
}
