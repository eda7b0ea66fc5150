import { describe, expect, it } from 'vitest';
import { readSandboxConfig } from './config.ts';

const env = {
  META_APP_SECRET: 'dev-meta-app-secret-0b6f2c',
  EDGE_URL: 'http://localhost:8787',
  DEV_WABA_ID: '102290129340398',
  DEV_PHONE_NUMBER_ID: '106540352242922',
  DEV_DISPLAY_PHONE_NUMBER: '15550783881',
  DEV_META_ACCESS_TOKEN: 'EAAsandboxDevToken0000000000000000',
  META_APP_ID: '100000000000001',
};

describe('readSandboxConfig', () => {
  it('reads the environment with defaults for ports, rate, auto reply, status webhooks and send latency', () => {
    expect(readSandboxConfig(env)).toEqual({
      ok: true,
      config: {
        appSecret: 'dev-meta-app-secret-0b6f2c',
        appId: '100000000000001',
        edgeUrl: 'http://localhost:8787',
        wabaId: '102290129340398',
        phoneNumberId: '106540352242922',
        displayPhoneNumber: '15550783881',
        accessToken: 'EAAsandboxDevToken0000000000000000',
        ratePerMinute: 6,
        port: 4010,
        smtpPort: 4025,
        autoReply: true,
        statusWebhooks: 'realistic',
        sendLatencyMs: [150, 300],
      },
    });
  });

  it('reads SANDBOX_AUTO_REPLY and SANDBOX_STATUS_WEBHOOKS', () => {
    const result = readSandboxConfig({ ...env, SANDBOX_AUTO_REPLY: 'false', SANDBOX_STATUS_WEBHOOKS: 'off' });
    expect(result).toMatchObject({ ok: true, config: { autoReply: false, statusWebhooks: 'off' } });
  });

  it('reads SIMULATOR_RATE_PER_MINUTE, SANDBOX_PORT and SANDBOX_SMTP_PORT (0: any free port)', () => {
    const result = readSandboxConfig({ ...env, SIMULATOR_RATE_PER_MINUTE: '0', SANDBOX_PORT: '4999', SANDBOX_SMTP_PORT: '0' });
    expect(result).toMatchObject({ ok: true, config: { ratePerMinute: 0, port: 4999, smtpPort: 0 } });
  });

  it('reads SANDBOX_SEND_LATENCY_MS as a range, one value, or 0 for none', () => {
    expect(readSandboxConfig({ ...env, SANDBOX_SEND_LATENCY_MS: '80-120' })).toMatchObject({ ok: true, config: { sendLatencyMs: [80, 120] } });
    expect(readSandboxConfig({ ...env, SANDBOX_SEND_LATENCY_MS: '200' })).toMatchObject({ ok: true, config: { sendLatencyMs: [200, 200] } });
    expect(readSandboxConfig({ ...env, SANDBOX_SEND_LATENCY_MS: '0' })).toMatchObject({ ok: true, config: { sendLatencyMs: [0, 0] } });
  });

  it('reports every problem at once', () => {
    expect(
      readSandboxConfig({
        EDGE_URL: 'not a url',
        SIMULATOR_RATE_PER_MINUTE: '-1',
        SANDBOX_PORT: 'x',
        SANDBOX_SMTP_PORT: '25.5',
        SANDBOX_AUTO_REPLY: 'maybe',
        SANDBOX_STATUS_WEBHOOKS: 'chaos',
        SANDBOX_SEND_LATENCY_MS: '300-150',
      }),
    ).toEqual({
      ok: false,
      problems: [
        'META_APP_SECRET is not set',
        'META_APP_ID is not set',
        'DEV_WABA_ID is not set',
        'DEV_PHONE_NUMBER_ID is not set',
        'DEV_DISPLAY_PHONE_NUMBER is not set',
        'DEV_META_ACCESS_TOKEN is not set',
        'SIMULATOR_RATE_PER_MINUTE must be a number ≥ 0, got "-1"',
        'SANDBOX_PORT must be a port number, got "x"',
        'SANDBOX_SMTP_PORT must be a port number, got "25.5"',
        'SANDBOX_AUTO_REPLY must be true or false, got "maybe"',
        'SANDBOX_STATUS_WEBHOOKS must be one of realistic, ordered, off, got "chaos"',
        'SANDBOX_SEND_LATENCY_MS must be milliseconds or a range like 150-300, got "300-150"',
        'EDGE_URL is not a URL: "not a url"',
      ],
    });
  });
});
