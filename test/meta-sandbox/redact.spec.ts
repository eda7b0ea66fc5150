import { describe, expect, it } from 'vitest';
import { redactPhone, redactUserId, redactWamid } from './redact.ts';

describe('redact', () => {
  it('keeps only the last four digits of a phone number', () => {
    expect(redactPhone('16505551234')).toBe('•••••••1234');
    expect(redactPhone(undefined)).toBe('-');
  });

  it('keeps the country and last four characters of a BSUID', () => {
    expect(redactUserId('US.13491208655302741918')).toBe('US.…1918');
  });

  it('drops the base64 part of a wamid that encodes the phone number', () => {
    const wamid = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=';
    expect(redactWamid(wamid)).toBe('wamid.…U3MUMxMAA=');
    // The phone number sits at the start of the base64: "MTY1MDM4Nzk0Mzk" is "16503879439".
    expect(redactWamid(wamid)).not.toContain('MTY1MDM4Nzk0Mzk');
  });
});
