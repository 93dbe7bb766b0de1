export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

/** Returns why a new password is rejected, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `This password is too short. It must contain at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Ensure this field has no more than ${MAX_PASSWORD_LENGTH} characters.`;
  }
  if (/^\d+$/.test(password)) return 'This password is entirely numeric.';
  if (password.trim() === '') return 'This password is blank.';
  return undefined;
}
