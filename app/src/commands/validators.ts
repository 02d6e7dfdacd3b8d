/** Field validators for the grammar; each returns a user-facing problem or undefined. */

/** git check-ref-format rules, the parts users actually trip over. */
export function validateBranch(branch: string): string | undefined {
  if (branch.length > 255) return 'branch names are at most 255 characters';
  if (/[\s~^:?*[\\\x00-\x1f\x7f]/.test(branch)) return `"${branch}" contains a character git does not allow (space ~ ^ : ? * [ \\)`;
  if (branch.includes('..') || branch.includes('@{') || branch.includes('//')) return `"${branch}" is not a valid git branch name`;
  if (/^[-/.]|[/.]$|\.lock$|\/\./.test(branch)) return `"${branch}" is not a valid git branch name`;
  return undefined;
}

/** registry/repo[:tag][@sha256:digest], lower-case repository path as Docker requires. */
const IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function validateImage(image: string): string | undefined {
  if (image.length > 512) return 'image references are at most 512 characters';
  if (!IMAGE.test(image)) return `"${image}" is not an image reference like 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc123`;
  return undefined;
}

/** Keys become container environment variable names. */
export function validateConfigKey(key: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key)) {
    return `"${key}" is not a valid key: use letters, digits and _ (not starting with a digit), at most 128 characters`;
  }
  if (/^(AWS_|ECS_)/.test(key)) return `"${key}" is reserved for AWS; pick another key`;
  return undefined;
}

/** SSM standard parameters hold up to 4 KB. */
export function validateConfigValue(value: string): string | undefined {
  if (value.length === 0) return 'the value is empty; use `unset KEY` to remove a key';
  if (Buffer.byteLength(value) > 4096) return 'values are at most 4096 bytes';
  return undefined;
}
