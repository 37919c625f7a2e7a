import { ForbiddenError, PreconditionFailedError, ValidationError } from '@sm/errors';
import type { WritePrecondition } from './etag';
import type { ProfileFields, StoredProfile } from './model';
import type { ProfileRepository } from './ports';
import { createPutProfile } from './put-profile';

const ALICE = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const BOB = '7a2b3c4d-1e2f-4a5b-8c6d-9e0f1a2b3c4d';
const NOW = new Date('2026-11-27T10:20:00.000Z');

/** Records writes and answers with the version the test scripts; storage rules are tested on dynalite. */
const recordingRepository = (answer: (fields: ProfileFields) => StoredProfile | null) => {
  const saves: { fields: ProfileFields; precondition: WritePrecondition }[] = [];
  const repository: ProfileRepository = {
    get: async () => null,
    save: async (fields, precondition) => {
      saves.push({ fields, precondition });
      return answer(fields);
    },
  };
  return { repository, saves };
};

const setup = (answer: (fields: ProfileFields) => StoredProfile | null) => {
  const { repository, saves } = recordingRepository(answer);
  const updates: { profile: StoredProfile; created: boolean }[] = [];
  const putProfile = createPutProfile({
    repository,
    now: () => NOW,
    onProfileUpdated: (profile, created) => updates.push({ profile, created }),
  });
  return { putProfile, saves, updates };
};

describe('putProfile', () => {
  it('creates a profile without If-Match: version 1, bio defaulted, location null', async () => {
    // Prepare
    const { putProfile, saves, updates } = setup((fields) => ({ ...fields, version: 1 }));

    // Act
    const result = await putProfile({
      callerId: ALICE,
      userId: ALICE,
      ifMatch: undefined,
      request: { displayName: 'Alice' },
    });

    // Assess
    expect(saves).toEqual([
      {
        fields: { userId: ALICE, displayName: 'Alice', bio: '', updatedAt: NOW.toISOString() },
        precondition: { kind: 'none' },
      },
    ]);
    expect(result).toEqual({
      profile: {
        userId: ALICE,
        displayName: 'Alice',
        bio: '',
        location: null,
        updatedAt: NOW.toISOString(),
      },
      etag: '"v1"',
      created: true,
    });
    expect(updates).toEqual([{ profile: expect.objectContaining({ version: 1 }), created: true }]);
  });

  it('replaces a profile: a later version is not a creation', async () => {
    const { putProfile } = setup((fields) => ({ ...fields, version: 4 }));

    const result = await putProfile({
      callerId: ALICE,
      userId: ALICE,
      ifMatch: '"v3"',
      request: { displayName: 'Alice', bio: 'Cyclist' },
    });

    expect(result).toMatchObject({ etag: '"v4"', created: false, profile: { bio: 'Cyclist' } });
  });

  it('passes the parsed If-Match to the conditional write', async () => {
    const { putProfile, saves } = setup((fields) => ({ ...fields, version: 2 }));

    await putProfile({
      callerId: ALICE,
      userId: ALICE,
      ifMatch: '*',
      request: { displayName: 'A' },
    });

    expect(saves[0]?.precondition).toEqual({ kind: 'exists' });
  });

  it('answers 412 when the conditional write did not hold, and reports no update', async () => {
    const { putProfile, updates } = setup(() => null);

    const outcome = putProfile({
      callerId: ALICE,
      userId: ALICE,
      ifMatch: '"v3"',
      request: { displayName: 'Alice' },
    });

    await expect(outcome).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(updates).toEqual([]);
  });

  it('answers 412 without writing when If-Match names no version we issue', async () => {
    const { putProfile, saves } = setup((fields) => ({ ...fields, version: 1 }));

    const outcome = putProfile({
      callerId: ALICE,
      userId: ALICE,
      ifMatch: 'W/"v1"',
      request: { displayName: 'Alice' },
    });

    await expect(outcome).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(saves).toEqual([]);
  });

  it("refuses another user's write with 403 before touching storage", async () => {
    const { putProfile, saves } = setup((fields) => ({ ...fields, version: 1 }));

    const outcome = putProfile({
      callerId: BOB,
      userId: ALICE,
      ifMatch: undefined,
      request: { displayName: 'Mallory' },
    });

    await expect(outcome).rejects.toBeInstanceOf(ForbiddenError);
    expect(saves).toEqual([]);
  });

  it('refuses a malformed If-Match with 400 before touching storage', async () => {
    const { putProfile, saves } = setup((fields) => ({ ...fields, version: 1 }));

    const outcome = putProfile({
      callerId: ALICE,
      userId: ALICE,
      ifMatch: 'v3',
      request: { displayName: 'Alice' },
    });

    await expect(outcome).rejects.toBeInstanceOf(ValidationError);
    expect(saves).toEqual([]);
  });
});
