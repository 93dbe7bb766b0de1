/** Collects a supertest response body as a Buffer; use it as `.buffer(true).parse(binaryBody)`. */
export function binaryBody(response: unknown, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
