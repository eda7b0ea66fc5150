import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkChanges, type ChangeNotice } from './change-events.ts';

describe('chunkChanges', () => {
  it('keeps every notification under the NOTIFY payload limit and loses no id', () => {
    const conversations = Array.from({ length: 500 }, () => randomUUID());
    const messages = Array.from({ length: 900 }, () => [randomUUID(), randomUUID()] as [string, string]);
    const notices = chunkChanges('t1', { conversationIds: conversations, messages });
    expect(notices.length).toBeGreaterThan(1);
    for (const n of notices) expect(Buffer.byteLength(n)).toBeLessThan(8000);
    const parsed = notices.map((n) => JSON.parse(n) as ChangeNotice);
    expect(parsed.flatMap((p) => p.c)).toEqual(conversations);
    expect(parsed.flatMap((p) => p.m)).toEqual(messages);
    expect(new Set(parsed.map((p) => p.t))).toEqual(new Set(['t1']));
  });

  it('sends nothing when nothing changed', () => {
    expect(chunkChanges('t1', { conversationIds: [], messages: [] })).toEqual([]);
  });

  it('announces a conversation once however often it changed', () => {
    expect(JSON.parse(chunkChanges('t', { conversationIds: ['a', 'a', 'b'], messages: [] })[0]!).c).toEqual(['a', 'b']);
  });
});
