import { expect, test } from '@jest/globals';
import { passwordProblems } from './password-policy';

test('accepts a long passphrase and a long random string, whatever their character classes', () => {
  expect(passwordProblems('correct horse battery', 'alice')).toEqual([]);
  expect(passwordProblems('kQzTrWbnMxPaLsYe', 'admin')).toEqual([]);
});

test('names every rule a password breaks', () => {
  expect(passwordProblems('aaaaa', 'alice')).toEqual([
    'Use at least 12 characters (this one has 5).',
    'Do not repeat a single character.',
  ]);
  expect(passwordProblems('Password1234', 'bob')).toEqual([
    'This password is well known to attackers; choose another.',
  ]);
});

test('refuses a password that contains the username, whatever its case', () => {
  expect(passwordProblems('my-ALICE-password', 'alice')).toEqual(['Do not include your username.']);
});

test('counts characters, not UTF-16 units, and caps the length', () => {
  expect(passwordProblems('😀a'.repeat(4), 'bob')).toEqual(['Use at least 12 characters (this one has 8).']);
  expect(passwordProblems('a1'.repeat(65), 'bob')).toEqual(['Use at most 128 characters.']);
});
