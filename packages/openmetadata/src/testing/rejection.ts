/** Test-only: the error a promise rejects with (the test fails if it resolves). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
