import { describe, expect, it } from 'vitest';
import { knnAgreement } from './knn.js';

describe('knnAgreement', () => {
  // Two persons, two videos each; frames of a video sit on top of each other, far from the
  // person's other video: identity "clusters" only through the video.
  const rows = [
    [0, 0], [0, 0.1], // A, video a1
    [10, 0], [10, 0.1], // A, video a2
    [5, 0], [5, 0.1], // B, video b1
    [15, 0], [15, 0.1], // B, video b2
  ];
  const person = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B'];
  const video = ['a1', 'a1', 'a2', 'a2', 'b1', 'b1', 'b2', 'b2'];

  it('counts the nearest neighbours that share the label', () => {
    expect(knnAgreement(rows, person, 1)).toBe(1); // the nearest is the same video's other frame
  });

  it("with exclude, a point's own group never vouches for it", () => {
    // Without its own video, a1's nearest frame is b1 (5 away), not a2 (10 away).
    expect(knnAgreement(rows, person, 1, undefined, video)).toBe(0);
    // Every point still has 6 candidates; with k = 6 each sees 2 of its person's 6 -> 1/3.
    expect(knnAgreement(rows, person, 6, undefined, video)).toBeCloseTo(1 / 3, 12);
  });

  it('gives each point its own agreement, NaN where its group leaves no candidate', async () => {
    const { knnAgreementPoints } = await import('./knn.js');
    expect(Array.from(knnAgreementPoints(rows, person, 1, undefined, video))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const lone = knnAgreementPoints([[0], [1], [2]], ['x', 'x', 'y'], 1, undefined, ['g', 'g', 'g']);
    expect(Array.from(lone).every(Number.isNaN)).toBe(true);
  });

  it('rejects a group count mismatch and groups that leave nothing to compare', () => {
    expect(() => knnAgreement(rows, person, 1, undefined, video.slice(1))).toThrow(/8 points but 7 groups/);
    expect(() => knnAgreement(rows, person, 1, undefined, person.map(() => 'x'))).toThrow(/nothing is left to compare/);
  });
});
