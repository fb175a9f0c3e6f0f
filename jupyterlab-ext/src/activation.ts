/**
 * Which notebooks the extension takes part in.
 *
 * The kernelspec name is the usual sign; a kernelspec installed under another
 * name still reports the kernel's implementation in its kernel_info reply.
 */
export const KERNEL_NAME = 'rerun';
export const IMPLEMENTATION = 'rerunkernel';

export function isRerunKernel(
  kernelName: string | undefined,
  implementation: string | undefined
): boolean {
  return kernelName === KERNEL_NAME || implementation === IMPLEMENTATION;
}
