import { afterEach, describe, expect, it } from 'vitest';
import { dev, sheena, startHarness, startOfTest, text, withoutTrace, type Harness } from './graph-harness.test-support.ts';
import { createThroughputMeter } from './throughput.ts';

describe('createThroughputMeter', () => {
  it('allows `limit` acquisitions in any window of 1000 ms, sliding with each send', () => {
    const meter = createThroughputMeter();
    expect([0, 100, 999].map((at) => meter.tryAcquire('n', 3, at))).toEqual([true, true, true]);
    expect(meter.tryAcquire('n', 3, 999)).toBe(false);
    // At 1000 ms the send at 0 has left the window, not those at 100 and 999.
    expect(meter.tryAcquire('n', 3, 1_000)).toBe(true);
    expect(meter.tryAcquire('n', 3, 1_050)).toBe(false);
    expect(meter.tryAcquire('n', 3, 1_100)).toBe(true);
    expect(meter.stats().get('n')).toEqual({ accepted: 5, rejectedByThroughput: 2, peakPerSecond: 3 });
  });

  it('counts each number on its own', () => {
    const meter = createThroughputMeter();
    expect(meter.tryAcquire('a', 1, 0)).toBe(true);
    expect(meter.tryAcquire('b', 1, 0)).toBe(true);
    expect(meter.tryAcquire('a', 1, 500)).toBe(false);
  });

  it('reports the peak of a sliding window, not of calendar seconds', () => {
    const meter = createThroughputMeter();
    // 4 sends in [500, 1400]: two calendar seconds hold 2 each, one sliding window holds all 4.
    for (const at of [500, 900, 1_100, 1_400]) meter.tryAcquire('n', 80, at);
    expect(meter.stats().get('n')?.peakPerSecond).toBe(4);
  });
});

describe('throughput of POST /messages', () => {
  let h: Harness;
  afterEach(() => h.stop());

  it('refuses the 6th send within one second at 5/s with 130429, and accepts again once the window slid', async () => {
    h = await startHarness();
    h.sandbox.updatePhoneNumber(dev.phoneNumberId, { throughputPerSecond: 5 });
    h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await h.send(text(sheena.waId))).status);
      h.clock.advance(100);
    }
    const sixth = await h.send(text(sheena.waId));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(sixth.status).toBe(400);
    expect(withoutTrace(sixth.json)).toEqual({
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
      },
    });
    h.clock.set(startOfTest + 1_000); // the first send (at +0 ms) leaves the window
    expect((await h.send(text(sheena.waId))).status).toBe(200);
    expect((await h.send(text(sheena.waId))).status).toBe(400);

    const { accepted, rejected } = h.sandbox.messages();
    expect(accepted).toHaveLength(6);
    expect(rejected.map((r) => r.errorCode)).toEqual([130429, 130429]);
    expect(h.sandbox.stats().numbers).toEqual([
      { phoneNumberId: dev.phoneNumberId, wabaId: dev.wabaId, throughputPerSecond: 5, accepted: 6, rejectedByThroughput: 2, peakPerSecond: 5 },
    ]);
  });

  it('holds a concurrent burst to the limit, and the peak never exceeds it', async () => {
    h = await startHarness({ statusWebhooks: 'off' });
    h.sandbox.addBusiness({
      wabaId: '200000000000001',
      accessToken: 'EAAbench',
      phoneNumbers: [{ id: '300000000000001', displayPhoneNumber: '15550100001', throughputPerSecond: 80 }],
    });
    const results = await Promise.all(
      Array.from({ length: 120 }, () => h.send(text(sheena.waId), { token: 'EAAbench', phoneNumberId: '300000000000001' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(80);
    expect(results.filter((r) => r.status === 400 && r.json.error.code === 130429)).toHaveLength(40);
    expect(h.sandbox.stats().numbers.find((n) => n.phoneNumberId === '300000000000001')).toEqual({
      phoneNumberId: '300000000000001',
      wabaId: '200000000000001',
      throughputPerSecond: 80,
      accepted: 80,
      rejectedByThroughput: 40,
      peakPerSecond: 80,
    });
  });
});
