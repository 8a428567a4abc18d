import { describe, expect, it } from 'vitest';
import {
  CONTRACT_THRESHOLDS,
  DEFAULT_FALLBACK_THRESHOLD,
  DEFAULT_THRESHOLDS,
  fellBack,
  SUGGESTED_THRESHOLDS,
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
      // Newer than the contract: the contract's default, whatever list prices suggest (docs/finance.md)
      { computeType: 'GENERALPURPOSE_4XLARGE', hours: 82 },
      { computeType: 'GENERALPURPOSE_8XLARGE', hours: 82 },
    ])('$computeType -> $hours', ({ computeType, hours }) => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy(), computeType);

      // Assert
      expect(threshold).toEqual({ hours, source: ThresholdSource.DEFAULT });
    });

    it('has exactly the seven compute types of the contract; the newer ones are only suggested', () => {
      // Assert
      expect(Object.keys(CONTRACT_THRESHOLDS).sort()).toEqual([
        'GRAPHICSPRO_G4DN',
        'GRAPHICS_G4DN',
        'PERFORMANCE',
        'POWER',
        'POWERPRO',
        'STANDARD',
        'VALUE',
      ]);
      expect(SUGGESTED_THRESHOLDS).toEqual({ GENERALPURPOSE_4XLARGE: 121, GENERALPURPOSE_8XLARGE: 125 });
      expect(DEFAULT_THRESHOLDS).toEqual(CONTRACT_THRESHOLDS);
      expect(DEFAULT_FALLBACK_THRESHOLD).toBe(82);
    });

    it('keeps the contract table frozen and its values as written', () => {
      expect(Object.isFrozen(CONTRACT_THRESHOLDS)).toBe(true);
      expect(Object.isFrozen(SUGGESTED_THRESHOLDS)).toBe(true);
      expect(CONTRACT_THRESHOLDS).toEqual({
        VALUE: 81,
        STANDARD: 85,
        PERFORMANCE: 80,
        POWER: 92,
        POWERPRO: 78,
        GRAPHICS_G4DN: 334,
        GRAPHICSPRO_G4DN: 80,
      });
    });
  });

  describe('the fallback (82) for compute types outside the table', () => {
    it.each([
      '',
      'GRAPHICS',
      'GRAPHICSPRO',
      'GRAPHICS_G6_XLARGE',
      'GRAPHICS_GR6F_4XLARGE',
      'GRAPHICS_G7_2XLARGE',
      'generalpurpose_4xlarge',
      'standard',
      'STANDARD ',
      'Power',
    ])('%j -> 82', (computeType) => {
      // Act
      const threshold = resolveThreshold(thresholdPolicy(), computeType);

      // Assert
      expect(threshold).toEqual({ hours: 82, source: ThresholdSource.DEFAULT });
    });

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

describe('Function: fellBack', () => {
  it.each([
    {
      why: 'a compute type outside the table',
      computeType: 'GRAPHICS_G7_2XLARGE',
      overrides: {},
      price: undefined,
      expected: true,
    },
    { why: 'an empty compute type', computeType: '', overrides: {}, price: undefined, expected: true },
    {
      why: 'a compute type of the contract',
      computeType: 'STANDARD',
      overrides: {},
      price: undefined,
      expected: false,
    },
    {
      why: 'a newer compute type with only a suggested threshold',
      computeType: 'GENERALPURPOSE_8XLARGE',
      overrides: {},
      price: undefined,
      expected: true,
    },
    {
      why: 'an unknown type with an override',
      computeType: 'NEW_TYPE',
      overrides: { NEW_TYPE: 50 },
      price: undefined,
      expected: false,
    },
    { why: 'an unknown type priced', computeType: 'NEW_TYPE', overrides: {}, price: 64, expected: false },
    {
      why: 'an Object.prototype name',
      computeType: 'constructor',
      overrides: {},
      price: undefined,
      expected: true,
    },
  ])('$why -> $expected', ({ computeType, overrides, price, expected }) => {
    // Arrange
    const policy = thresholdPolicy(overrides as Record<string, number>);
    const threshold = resolveThreshold(policy, computeType, price);

    // Act + Assert
    expect(fellBack(policy, computeType, threshold)).toBe(expected);
  });

  it("looks at the policy's own table, not the default one", () => {
    const policy = { ...thresholdPolicy(), table: { NEW_TYPE: 70 } };
    expect(fellBack(policy, 'NEW_TYPE', resolveThreshold(policy, 'NEW_TYPE'))).toBe(false);
    expect(fellBack(policy, 'STANDARD', resolveThreshold(policy, 'STANDARD'))).toBe(true);
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
