import { describe, expect, test } from '@jest/globals';
import { cpuPercent, cpuSecondsOf, listeningInodes, rssOf } from './proc';

describe('/proc readings', () => {
  test('RSS comes from VmRSS, in MB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 999999 kB\nVmRSS:\t  204800 kB\nRssAnon:\t 1 kB\n';
    expect(rssOf(status)).toBe(200);
  });

  test('CPU seconds are utime + stime, counted after the command name even when it holds spaces', () => {
    const stat = '7880 (node main) S 7805 7804 7804 0 -1 4194560 100 0 0 0 1250 583 0 0 20 0 11 0 1234 1 2';
    expect(cpuSecondsOf(stat)).toBeCloseTo(18.33);
  });

  test('a listening socket on the port is found by its inode; an established one is not', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F4D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51234 1 0 100 0 0 10 0',
      '   1: 0100007F:1F4D 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 51999 1 0 100 0 0 10 0',
      '   2: 0100007F:1F4E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51300 1 0 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(table, 8013)).toEqual(['51234']);
  });

  test('CPU share is the CPU seconds spent over the seconds passed', () => {
    const samples = [
      { at: 0, rssMb: 1, cpuSeconds: 10 },
      { at: 2000, rssMb: 1, cpuSeconds: 11 },
    ];
    expect(cpuPercent(samples)).toBeCloseTo(50);
    expect(cpuPercent(samples.slice(0, 1))).toBeNaN();
  });
});
