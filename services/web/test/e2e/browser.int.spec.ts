// The web client in a real browser (Debian's chromium through playwright-core), against one whole
// system for every group: starting one takes minutes, so the groups share it. Each group makes its
// own users and names, and saves its screenshots in its own folder.
import { afterAll, beforeAll } from '@jest/globals';
import { catalogueTests } from './catalogue';
import { describeInBrowser, startE2e, type E2e } from './harness';
import { journeyTests } from './journey';
import { sessionTests } from './session';

describeInBrowser('the web client', () => {
  let e2e: E2e | undefined;
  const system = () => {
    if (!e2e) throw new Error('the system did not start (see the first error)');
    return e2e;
  };

  beforeAll(async () => {
    e2e = await startE2e();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  sessionTests(system);
  catalogueTests(system);
  journeyTests(system);
});
