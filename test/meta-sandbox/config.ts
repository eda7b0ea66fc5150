// The sandbox's configuration, read once from the environment and validated. Missing or malformed
// settings are reported together as a value, so main.ts can print them all and exit.
// Names and dev defaults: .env.example at the repository root.
import type { SandboxOptions } from './server.ts';

export type SandboxConfig = Required<
  Pick<
    SandboxOptions,
    | 'port'
    | 'smtpPort'
    | 'edgeUrl'
    | 'appSecret'
    | 'appId'
    | 'wabaId'
    | 'phoneNumberId'
    | 'displayPhoneNumber'
    | 'accessToken'
    | 'ratePerMinute'
    | 'autoReply'
    | 'statusWebhooks'
    | 'sendLatencyMs'
  >
>;

const statusWebhookModes = ['realistic', 'ordered', 'off'] as const;

export type ConfigResult = { ok: true; config: SandboxConfig } | { ok: false; problems: string[] };

export function readSandboxConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const number = (name: string, fallback: number, valid: (n: number) => boolean): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!valid(value)) problems.push(`${name} must be ${name.endsWith('_PORT') ? 'a port number' : 'a number ≥ 0'}, got ${JSON.stringify(raw)}`);
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'off', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
    return fallback;
  };
  const mode = (): SandboxConfig['statusWebhooks'] => {
    const raw = env.SANDBOX_STATUS_WEBHOOKS?.trim();
    if (!raw) return 'realistic';
    if ((statusWebhookModes as readonly string[]).includes(raw)) return raw as SandboxConfig['statusWebhooks'];
    problems.push(`SANDBOX_STATUS_WEBHOOKS must be one of ${statusWebhookModes.join(', ')}, got ${JSON.stringify(raw)}`);
    return 'realistic';
  };

  // "150-300" (a range, drawn per send), "200" (always), "0" (at once).
  const latency = (): readonly [number, number] => {
    const raw = env.SANDBOX_SEND_LATENCY_MS?.trim();
    if (!raw) return [150, 300];
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(raw);
    const [min, max] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [NaN, NaN];
    if (!(min <= max)) {
      problems.push(`SANDBOX_SEND_LATENCY_MS must be milliseconds or a range like 150-300, got ${JSON.stringify(raw)}`);
      return [150, 300];
    }
    return [min, max];
  };

  const config: SandboxConfig = {
    appSecret: required('META_APP_SECRET'),
    appId: required('META_APP_ID'),
    edgeUrl: required('EDGE_URL'),
    wabaId: required('DEV_WABA_ID'),
    phoneNumberId: required('DEV_PHONE_NUMBER_ID'),
    displayPhoneNumber: required('DEV_DISPLAY_PHONE_NUMBER'),
    accessToken: required('DEV_META_ACCESS_TOKEN'),
    ratePerMinute: number('SIMULATOR_RATE_PER_MINUTE', 6, (n) => Number.isFinite(n) && n >= 0),
    port: number('SANDBOX_PORT', 4010, (n) => Number.isInteger(n) && n >= 0 && n <= 65535),
    // Where the api's mail lands in dev (SMTP_URL=smtp://localhost:4025), listed at /mail.
    smtpPort: number('SANDBOX_SMTP_PORT', 4025, (n) => Number.isInteger(n) && n >= 0 && n <= 65535),
    // On by default in dev: a developer's reply gets an answer, as from a real customer.
    autoReply: flag('SANDBOX_AUTO_REPLY', true),
    statusWebhooks: mode(),
    // Meta answers a send in about 150–300 ms; a sender that is fast only against an instant fake is not.
    sendLatencyMs: latency(),
  };
  if (config.edgeUrl && !URL.canParse(config.edgeUrl)) problems.push(`EDGE_URL is not a URL: ${JSON.stringify(config.edgeUrl)}`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
