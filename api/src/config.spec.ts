import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const required = { APP_DATABASE_URL: 'postgres://app@localhost/db', INGEST_SECRET: 's', VAULT_KEY: 'k' };

describe('config', () => {
  describe('the ingest listener (INGEST_PORT, INGEST_HOST)', () => {
    it('is off unless INGEST_PORT is set; the host defaults to the loopback', () => {
      expect(loadConfig(required).ingestListener).toBeNull();
      expect(loadConfig({ ...required, INGEST_PORT: '4001' }).ingestListener).toEqual({ port: 4001, host: '127.0.0.1' });
      expect(loadConfig({ ...required, INGEST_PORT: '4001', INGEST_HOST: '10.0.0.5' }).ingestListener).toEqual({ port: 4001, host: '10.0.0.5' });
    });

    it('refuses a port that is not one, the public port, and a host without a port', () => {
      expect(() => loadConfig({ ...required, INGEST_PORT: 'internal' })).toThrow('api configuration: INGEST_PORT must be a port number (0-65535), not "internal"');
      expect(() => loadConfig({ ...required, INGEST_PORT: '70000' })).toThrow('INGEST_PORT must be a port number');
      expect(() => loadConfig({ ...required, API_PORT: '4000', INGEST_PORT: '4000' })).toThrow('api configuration: INGEST_PORT must differ from API_PORT (both 4000)');
      expect(() => loadConfig({ ...required, INGEST_HOST: '10.0.0.5' })).toThrow('api configuration: INGEST_HOST is set without INGEST_PORT');
    });
  });

  describe('TRUSTED_PROXIES', () => {
    it('trusts nobody by default, and refuses the api a setting it cannot read', () => {
      expect(loadConfig(required).trustedProxies).toBe('');
      expect(loadConfig({ ...required, TRUSTED_PROXIES: 'loopback, 10.0.0.0/8' }).trustedProxies).toBe('loopback, 10.0.0.0/8');
      expect(() => loadConfig({ ...required, TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow('api configuration: TRUSTED_PROXIES: invalid range on address: 10.0.0.0/33');
    });
  });

  describe('METRICS_TOKEN', () => {
    it('is off unless set, and refuses a token short enough to guess or one with spaces', () => {
      expect(loadConfig(required).metricsToken).toBeNull();
      expect(loadConfig({ ...required, METRICS_TOKEN: ' 0123456789abcdef ' }).metricsToken).toBe('0123456789abcdef');
      expect(() => loadConfig({ ...required, METRICS_TOKEN: 'short' })).toThrow('api configuration: METRICS_TOKEN must be at least 16 characters');
      expect(() => loadConfig({ ...required, METRICS_TOKEN: '0123456789 abcdef' })).toThrow('METRICS_TOKEN must be at least 16 characters with no spaces');
    });
  });

  describe('retention (RETENTION_SCHEDULE, RAW_WEBHOOK_RETENTION_DAYS)', () => {
    it('sweeps hourly by default, on a crontab pattern given, or never when "off"', () => {
      expect(loadConfig(required).retentionSchedule).toBe('17 * * * *');
      expect(loadConfig({ ...required, RETENTION_SCHEDULE: '*/15 * * * *' }).retentionSchedule).toBe('*/15 * * * *');
      expect(loadConfig({ ...required, RETENTION_SCHEDULE: 'off' }).retentionSchedule).toBeNull();
      expect(() => loadConfig({ ...required, RETENTION_SCHEDULE: 'hourly' })).toThrow('api configuration: RETENTION_SCHEDULE must be a crontab pattern of five fields');
    });

    it('caps raw webhook copies at 7 days by default, and refuses a ceiling past what Meta retries', () => {
      expect(loadConfig(required).rawWebhookRetentionDays).toBe(7);
      expect(loadConfig({ ...required, RAW_WEBHOOK_RETENTION_DAYS: '3' }).rawWebhookRetentionDays).toBe(3);
      expect(() => loadConfig({ ...required, RAW_WEBHOOK_RETENTION_DAYS: '14' })).toThrow('RAW_WEBHOOK_RETENTION_DAYS must be a whole number of days from 1 to 7');
      expect(() => loadConfig({ ...required, RAW_WEBHOOK_RETENTION_DAYS: '0' })).toThrow('RAW_WEBHOOK_RETENTION_DAYS must be a whole number of days from 1 to 7');
    });
  });

  describe('SMTP_URL and MAIL_FROM', () => {
    it('sends no mail unless SMTP_URL is set, from a placeholder address unless MAIL_FROM is', () => {
      expect(loadConfig(required)).toMatchObject({ smtpUrl: null, mailFrom: 'Switchboard <privacy@switchboard.invalid>' });
      expect(loadConfig({ ...required, SMTP_URL: ' smtps://mailer:s3cret@smtp.example.com:465 ', MAIL_FROM: 'Acme Privacy <privacy@example.com>' })).toMatchObject({
        smtpUrl: 'smtps://mailer:s3cret@smtp.example.com:465',
        mailFrom: 'Acme Privacy <privacy@example.com>',
      });
      expect(loadConfig({ ...required, SMTP_URL: 'smtp://localhost:4025' }).smtpUrl).toBe('smtp://localhost:4025');
    });

    it('refuses a URL that is not smtp: or smtps:, without repeating its password', () => {
      for (const value of ['https://mailer:s3cret@smtp.example.com', 'smtp.example.com:587', 'mailer:s3cret@smtp.example.com']) {
        const load = () => loadConfig({ ...required, SMTP_URL: value });
        expect(load).toThrow('api configuration: SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
        expect(load).not.toThrow(/s3cret/);
      }
    });
  });
});
