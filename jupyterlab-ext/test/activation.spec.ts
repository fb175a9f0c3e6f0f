import { describe, expect, it } from 'vitest';
import { isRerunKernel } from '../src/activation';

describe('isRerunKernel', () => {
  it('takes part for the rerun kernelspec', () => {
    expect(isRerunKernel('rerun', undefined)).toBe(true);
  });

  it('takes part for a renamed kernelspec of the rerunkernel implementation', () => {
    expect(isRerunKernel('my-app-env', 'rerunkernel')).toBe(true);
  });

  it('stays out of other kernels', () => {
    expect(isRerunKernel('python3', 'ipython')).toBe(false);
    expect(isRerunKernel(undefined, undefined)).toBe(false);
  });
});
