import { describe, expect, it } from 'vitest';
import { formatCents, formatRate, money, roundCents } from '../../../src/billing/index.js';

describe('Function: roundCents', () => {
  it.each([
    ['1.005', '1.01'], // half up, not to even (1.00)
    ['1.015', '1.02'],
    ['2.125', '2.13'], // half to even would give 2.12
    ['1.0049999', '1.00'],
    ['-1.005', '-1.01'], // half away from zero: a saving of -1.005 is a cost of 1.01
    ['-2.125', '-2.13'],
    ['1234.565', '1234.57'],
    ['0.004', '0.00'],
  ])('rounds %s to %s (half up, away from zero)', (exact, expected) => {
    // Act
    const rounded = roundCents(money(exact));
    // Assert
    expect(rounded.toString()).toBe(money(expected).toString());
    expect(rounded.decimalPlaces()).toBeLessThanOrEqual(2);
  });
});

describe('Function: formatCents', () => {
  it.each([
    ['12.5', '12.50'],
    ['0', '0.00'],
    ['1.005', '1.01'],
    ['2.125', '2.13'],
    ['-0.125', '-0.13'],
    ['1234567.891', '1234567.89'],
  ])('writes %s as %s', (amount, expected) => {
    expect(formatCents(money(amount))).toBe(expected);
  });
});

describe('Function: formatRate', () => {
  it('writes a rate without trailing zeros', () => {
    expect(formatRate(money('0.2600000000'))).toBe('0.26');
  });
});

describe('Money precision', () => {
  it('keeps 40 significant digits, so a pro-rata share of a large amount is exact far below the cent', () => {
    // 21 digits before the point: with 20 significant digits the cents would already be gone.
    const large = money('123456789012345678901.23');
    // Act
    const third = large.dividedBy(3);
    // Assert
    expect(third.times(3).toFixed(2)).toBe('123456789012345678901.23');
    expect(third.toFixed(10)).toBe('41152263004115226300.4100000000');
  });

  it('rounds the arithmetic itself half up: 2/3 at 40 digits ends in 7', () => {
    expect(money(2).dividedBy(3).toString()).toBe(`0.${'6'.repeat(39)}7`);
  });

  it('rounds a tie in the 41st digit up, not to even', () => {
    // 41 significant digits ending in 5 after an even digit: half to even would keep the 2.
    const tie = money(`1${'0'.repeat(38)}2.5`);
    // Act
    const sum = tie.plus(0);
    // Assert
    expect(sum.toFixed(0)).toBe(`1${'0'.repeat(38)}3`);
  });

  it('keeps one pro-rata hour of a monthly price exact to 40 digits (1/744 of 35)', () => {
    // 35 / 744 = 0.047043010752688172043010752688172043010752688...
    expect(money(35).dividedBy(744).toString()).toBe('0.04704301075268817204301075268817204301075');
  });
});
