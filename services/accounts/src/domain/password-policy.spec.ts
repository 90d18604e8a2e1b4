import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { passwordProblems } from './password-policy';

test('accepts a long passphrase and a long random string, whatever their character classes', () => {
  assert.deepEqual(passwordProblems('correct horse battery', 'alice'), []);
  assert.deepEqual(passwordProblems('kQzTrWbnMxPaLsYe', 'admin'), []);
});

test('names every rule a password breaks', () => {
  assert.deepEqual(passwordProblems('aaaaa', 'alice'), ['Use at least 12 characters (this one has 5).', 'Do not repeat a single character.']);
  assert.deepEqual(passwordProblems('Password1234', 'bob'), ['This password is well known to attackers; choose another.']);
});

test('refuses a password that contains the username, whatever its case', () => {
  assert.deepEqual(passwordProblems('my-ALICE-password', 'alice'), ['Do not include your username.']);
});

test('counts characters, not UTF-16 units, and caps the length', () => {
  assert.deepEqual(passwordProblems('😀a'.repeat(4), 'bob'), ['Use at least 12 characters (this one has 8).']);
  assert.deepEqual(passwordProblems('a1'.repeat(65), 'bob'), ['Use at most 128 characters.']);
});
