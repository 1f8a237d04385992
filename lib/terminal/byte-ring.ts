/**
 * The last `capacity` bytes of a stream, for replay on reattach. Keeps chunks as they came (no
 * copy per push) and trims from the front, so memory stays at capacity plus one chunk.
 */
export class ByteRing {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(readonly capacity: number) {}

  push(data: Buffer): void {
    if (this.capacity <= 0 || data.byteLength === 0) return;
    if (data.byteLength >= this.capacity) {
      // Copy: the tail of a big chunk must not pin the whole chunk in memory.
      this.chunks = [Buffer.from(data.subarray(data.byteLength - this.capacity))];
      this.size = this.capacity;
      return;
    }
    this.chunks.push(data);
    this.size += data.byteLength;
    while (this.size - this.chunks[0]!.byteLength >= this.capacity) this.size -= this.chunks.shift()!.byteLength;
    if (this.size > this.capacity) {
      const first = this.chunks[0]!;
      this.chunks[0] = Buffer.from(first.subarray(this.size - this.capacity));
      this.size = this.capacity;
    }
  }

  get length(): number {
    return this.size;
  }

  contents(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
