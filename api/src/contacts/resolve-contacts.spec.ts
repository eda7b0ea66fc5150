import { describe, expect, it } from 'vitest';
import { groupIdentities } from './resolve-contacts.ts';

describe('groupIdentities', () => {
  it('joins identities that share a phone or a BSUID into one person', () => {
    const { groups } = groupIdentities([
      { waId: '1555', userId: null, displayName: 'Ann' },
      { waId: null, userId: 'US.A', displayName: null },
      { waId: '1555', userId: 'US.A', displayName: 'Ann B.' },
      { waId: '1999', userId: null },
    ]);
    expect(groups).toEqual([
      { waId: '1555', userId: 'US.A', parentUserId: null, displayName: 'Ann B.' },
      { waId: '1999', userId: null, parentUserId: null, displayName: null },
    ]);
  });

  it('maps every key seen to its group', () => {
    const { index, groups } = groupIdentities([{ waId: '1', userId: null }, { waId: '1', userId: 'US.X' }]);
    expect(index.get('w:1')).toBe(groups[0]);
    expect(index.get('u:US.X')).toBe(groups[0]);
  });

  it('ignores entries with neither identity', () => {
    expect(groupIdentities([{ waId: null, userId: null }]).groups).toEqual([]);
  });
});
