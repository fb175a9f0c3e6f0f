import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) =>
  readFileSync(new URL(path, import.meta.url), 'utf8');

describe('package version', () => {
  it('is the version of the Python package that ships the extension', () => {
    const python = read('../../rerunkernel/_version.py').match(
      /__version__ = "(.+)"/
    )?.[1];
    expect(JSON.parse(read('../package.json')).version).toBe(python);
  });
});
