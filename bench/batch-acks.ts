// Batch acknowledgements timed around the SDK's own fetch calls: every PUT of a batch, from the request to its
// answer's end (the receipt is part of the acknowledgement), counted when the server accepted it (200 or 202).
export function timeBatchAcks(): number[] {
  const acks: number[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (init?.method !== 'PUT' || !url.includes('/batches/')) return realFetch(input, init);
    const started = performance.now();
    const res = await realFetch(input, init);
    await res.clone().arrayBuffer();
    if (res.status === 202 || res.status === 200) acks.push(performance.now() - started);
    return res;
  };
  return acks;
}
