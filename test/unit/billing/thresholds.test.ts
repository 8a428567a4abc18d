import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FALLBACK_THRESHOLD,
  DEFAULT_THRESHOLDS,
  ThresholdSource,
  resolveThreshold,
  thresholdPolicy,
} from '../../../src/billing/index.js';

describe('Function: resolveThreshold', () => {
  describe('the contract table', () => {
    it.each([
      { computeType: 'VALUE', hours: 81 },
      { computeType: 'STANDARD', hours: 85 },
      { computeType: 'PERFORMANCE', hours: 80 },
      { computeType: 'POWER', hours: 92 },
      { computeType: 'POWERPRO', hours: 78 },
      { computeType: 'GRAPHICS_G4DN', hours: 334 },
      { computeType: 'GRAPHICSPRO_G4DN', hours: 80 },
    ])('$computeType -> $hours', ({ computeType, hours }) => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy(), computeType);

      // Assert
      expect(threshold).toEqual({ hours, source: ThresholdSource.DEFAULT });
    });

    it('has exactly the seven compute types of the contract', () => {
      // Assert
      expect(Object.keys(DEFAULT_THRESHOLDS).sort()).toEqual([
        'GRAPHICSPRO_G4DN',
        'GRAPHICS_G4DN',
        'PERFORMANCE',
        'POWER',
        'POWERPRO',
        'STANDARD',
        'VALUE',
      ]);
      expect(DEFAULT_FALLBACK_THRESHOLD).toBe(82);
    });
  });

  describe('the fallback (82) for compute types outside the table', () => {
    it.each(['', 'GRAPHICS', 'GRAPHICSPRO', 'GENERALPURPOSE_4XLARGE', 'standard', 'STANDARD ', 'Power'])(
      '%j -> 82',
      (computeType) => {
        // Act
        const threshold = resolveThreshold(thresholdPolicy(), computeType);

        // Assert
        expect(threshold).toEqual({ hours: 82, source: ThresholdSource.DEFAULT });
      },
    );

    it('uses a configured fallback instead of 82', () => {
      // Act
      const unknown = resolveThreshold(thresholdPolicy({}, 100), 'NEW_TYPE');
      const known = resolveThreshold(thresholdPolicy({}, 100), 'STANDARD');

      // Assert
      expect(unknown).toEqual({ hours: 100, source: ThresholdSource.DEFAULT });
      expect(known).toEqual({ hours: 85, source: ThresholdSource.DEFAULT });
    });
  });

  describe('names of Object.prototype members are not compute types', () => {
    it.each([
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      '__defineGetter__',
    ])('%s -> the fallback, from the table, the overrides and a custom table alike', (computeType) => {
      // Arrange
      const policy = { ...thresholdPolicy({ STANDARD: 90 }), table: { ...DEFAULT_THRESHOLDS } };

      // Act
      const threshold = resolveThreshold(policy, computeType);

      // Assert
      expect(threshold).toEqual({ hours: 82, source: ThresholdSource.DEFAULT });
    });
  });

  describe('overrides and price break-even', () => {
    it('an override wins over the table', () => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy({ STANDARD: 90 }), 'STANDARD');

      // Assert
      expect(threshold).toEqual({ hours: 90, source: ThresholdSource.OVERRIDE });
    });

    it('an override only changes its own compute type', () => {
      // Act
      const power = resolveThreshold(thresholdPolicy({ STANDARD: 90 }), 'POWER');
      const unknown = resolveThreshold(thresholdPolicy({ STANDARD: 90 }), 'NEW_TYPE');

      // Assert
      expect(power).toEqual({ hours: 92, source: ThresholdSource.DEFAULT });
      expect(unknown).toEqual({ hours: 82, source: ThresholdSource.DEFAULT });
    });

    it('an override for a compute type outside the table wins over the fallback', () => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy({ NEW_TYPE: 50 }), 'NEW_TYPE');

      // Assert
      expect(threshold).toEqual({ hours: 50, source: ThresholdSource.OVERRIDE });
    });

    it('an override of 0 is honoured (not treated as absent)', () => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy({ VALUE: 0 }), 'VALUE', 70);

      // Assert
      expect(threshold).toEqual({ hours: 0, source: ThresholdSource.OVERRIDE });
    });

    it.each([
      { computeType: 'STANDARD', price: 77.5 },
      { computeType: 'NEW_TYPE', price: 64 },
      { computeType: 'GRAPHICS_G4DN', price: 0 },
    ])('the price break-even $price is used for $computeType when given', ({ computeType, price }) => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy(), computeType, price);

      // Assert
      expect(threshold).toEqual({ hours: price, source: ThresholdSource.PRICE });
    });

    it('an override beats the price break-even', () => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy({ STANDARD: 90 }), 'STANDARD', 77.5);

      // Assert
      expect(threshold).toEqual({ hours: 90, source: ThresholdSource.OVERRIDE });
    });

    it('an undefined price falls back to the table', () => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy(), 'POWERPRO', undefined);

      // Assert
      expect(threshold).toEqual({ hours: 78, source: ThresholdSource.DEFAULT });
    });
  });
});

describe('Function: thresholdPolicy', () => {
  it('defaults to the contract table, no overrides and the 82 fallback', () => {
    // Act
    const policy = thresholdPolicy();

    // Assert
    expect(policy).toEqual({ table: DEFAULT_THRESHOLDS, overrides: {}, fallback: 82 });
  });

  it('cannot change the shared default table', () => {
    // Act
    const write = () => {
      (DEFAULT_THRESHOLDS as Record<string, number>).STANDARD = 1;
    };

    // Assert
    expect(write).toThrow(TypeError);
    expect(DEFAULT_THRESHOLDS.STANDARD).toBe(85);
  });
});
