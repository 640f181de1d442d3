// The floor for a .gz tree: gunzip alone on two threads with 4 MiB output chunks, discarding the output.
// usage: node gunzip-floor.mjs DIR  -> prints the uncompressed bytes
import { readdirSync, statSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

async function gunzipAll(files) {
  let bytes = 0;
  for (const file of files) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 4 << 20 }))) bytes += chunk.length;
  }
  return bytes;
}

if (isMainThread) {
  const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  const files = walk(process.argv[2]).filter((f) => f.endsWith('.gz')).sort();
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  const totals = await Promise.all(halves.map((part) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: part });
    worker.on('message', resolve);
    worker.on('error', reject);
  })));
  console.log(totals.reduce((a, b) => a + b, 0));
} else {
  parentPort.postMessage(await gunzipAll(workerData));
}
