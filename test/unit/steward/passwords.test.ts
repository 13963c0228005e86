import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../../src/steward/passwords';

const FAST = { N: 1024, r: 8, p: 1 };

test('a scrypt hash verifies its password and nothing else', async () => {
  const hash = await hashPassword('长沙 steward 2026', FAST);
  expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  expect(hash).not.toContain('steward');
  await expect(verifyPassword('长沙 steward 2026', hash)).resolves.toBe(true);
  await expect(verifyPassword('长沙 steward 2027', hash)).resolves.toBe(false);
  // salted: the same password hashes differently
  expect(await hashPassword('长沙 steward 2026', FAST)).not.toBe(hash);
});

test('the default cost is carried in the hash; malformed hashes never verify', async () => {
  expect(await hashPassword('a long enough password')).toMatch(/^scrypt\$32768\$8\$1\$/);
  for (const bad of ['', 'plain', 'scrypt$1024$8$1$c2FsdA==', 'bcrypt$1024$8$1$c2FsdA==$aGFzaA==', 'scrypt$x$8$1$c2FsdA==$aGFzaA==', 'scrypt$1024$8$1$c2FsdA==$aGFzaA==']) {
    await expect(verifyPassword('anything', bad)).resolves.toBe(false);
  }
});

test('weak passwords are refused with a reason; generated ones are accepted', () => {
  expect(passwordProblem('short')).toMatch(/at least 10/);
  expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/repeated/);
  expect(passwordProblem('密码要足够长才能用啊啊')).toBeNull();
  const p = generatePassword();
  expect(passwordProblem(p)).toBeNull();
  expect(generatePassword()).not.toBe(p);
});
