/**
 * Pod IPs from the node's pod CIDR (host-local IPAM as kindnet configures it): .2 to .254,
 * handed out round-robin so a freed address is not reused at once, released with the sandbox.
 */
export class PodIpAllocator {
  private next = 2;
  private readonly used = new Set<string>();

  /** The next free address in `base`.0/24 (e.g. base "10.244.1"); .254 when all are taken. */
  allocate(base: string): string {
    for (let i = 0; i < 253; i++) {
      const n = ((this.next - 2 + i) % 253) + 2;
      const ip = `${base}.${n}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        this.next = n + 1;
        return ip;
      }
    }
    return `${base}.254`;
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}
