// Log-safe forms of customer identifiers: logs must never carry full phone numbers (ARCHITECTURE.md,
// "Security and privacy by construction"). A wamid embeds the counterpart's number in base64, so
// it is shortened too.

export function redactPhone(phone: string | undefined): string {
  if (!phone) return '-';
  return `${'•'.repeat(Math.max(phone.length - 4, 0))}${phone.slice(-4)}`;
}

export function redactUserId(userId: string | undefined): string {
  if (!userId) return '-';
  const country = userId.split('.')[0] ?? '';
  return `${country}.…${userId.slice(-4)}`;
}

export function redactWamid(wamid: string): string {
  return `wamid.…${wamid.slice(-10)}`;
}
