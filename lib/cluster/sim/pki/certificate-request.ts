import "@/lib/reflect-metadata-shim";
import { createPrivateKey, createPublicKey, verify, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/**
 * PKCS#10 certificate requests as the certificates API sees them (k8s.io/api/certificates'
 * ParseCSR + x509.CertificateRequest.CheckSignature), and the cluster signer's Sign (the
 * controller-manager's PermissiveSigningPolicy): the issued certificate carries the request's
 * subject and SANs, the usages asked for, basicConstraints CA:FALSE, no other extension.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface ParsedCertificateRequest {
  /** The subject as RFC 4514 text ("CN=jane, O=dev"). */
  subject: string;
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  request: x509.Pkcs10CertificateRequest;
}

/** One DER TLV: where its contents start and where it ends. */
function tlv(buf: Buffer, at: number): { start: number; end: number } {
  let p = at + 1;
  let len = buf[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("x509: malformed certificate request");
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[p++]!;
  }
  if (p + len > buf.length) throw new Error("x509: malformed certificate request");
  return { start: p, end: p + len };
}

const HASHES: Record<string, string> = { "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

/**
 * Parses the PEM bytes of `spec.request` and checks the request's self-signature. Throws an
 * Error whose message is Go's (`PEM block type must be CERTIFICATE REQUEST`, …).
 */
export function parseCertificateRequest(pemBytes: Buffer): ParsedCertificateRequest {
  const text = pemBytes.toString("latin1");
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m || m[1] !== "CERTIFICATE REQUEST") throw new Error("PEM block type must be CERTIFICATE REQUEST");
  const der = Buffer.from(m[2]!.replace(/\s+/g, ""), "base64");
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(der);
  } catch {
    throw new Error("x509: malformed certificate request");
  }
  // The signed part is the first element of the outer SEQUENCE, byte for byte as sent.
  const outer = tlv(der, 0);
  const info = tlv(der, outer.start);
  const tbs = der.subarray(outer.start, info.end);
  const alg = request.signatureAlgorithm as { name: string; hash?: { name: string } };
  const hash = HASHES[alg.hash?.name ?? ""];
  const key = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: "der", type: "spki" });
  const ok = hash !== undefined && verify(hash, tbs, key, Buffer.from(request.signature));
  if (!ok) {
    throw new Error(key.asymmetricKeyType === "ec" ? "x509: ECDSA verification failure" : "crypto/rsa: verification error");
  }
  const san = request.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  return {
    subject: request.subject,
    commonName: request.subjectName.getField("CN")[0] ?? "",
    organizations: request.subjectName.getField("O"),
    dnsNames: names.filter((n) => n.type === "dns").map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === "ip").map((n) => n.value),
    emailAddresses: names.filter((n) => n.type === "email").map((n) => n.value),
    uris: names.filter((n) => n.type === "url").map((n) => n.value),
    request,
  };
}

/** certificates/v1 key usages → x509 keyUsage bits and extKeyUsage OIDs (authority's keyUsagesFromStrings). */
const KEY_USAGE_BITS: Record<string, x509.KeyUsageFlags> = {
  signing: x509.KeyUsageFlags.digitalSignature,
  "digital signature": x509.KeyUsageFlags.digitalSignature,
  "content commitment": x509.KeyUsageFlags.nonRepudiation,
  "key encipherment": x509.KeyUsageFlags.keyEncipherment,
  "key agreement": x509.KeyUsageFlags.keyAgreement,
  "data encipherment": x509.KeyUsageFlags.dataEncipherment,
  "cert sign": x509.KeyUsageFlags.keyCertSign,
  "crl sign": x509.KeyUsageFlags.cRLSign,
  "encipher only": x509.KeyUsageFlags.encipherOnly,
  "decipher only": x509.KeyUsageFlags.decipherOnly,
};
const EXT_KEY_USAGE_OIDS: Record<string, string> = {
  any: "2.5.29.37.0",
  "server auth": x509.ExtendedKeyUsage.serverAuth,
  "client auth": x509.ExtendedKeyUsage.clientAuth,
  "code signing": x509.ExtendedKeyUsage.codeSigning,
  "email protection": x509.ExtendedKeyUsage.emailProtection,
  "s/mime": x509.ExtendedKeyUsage.emailProtection,
  "ipsec end system": "1.3.6.1.5.5.7.3.5",
  "ipsec tunnel": "1.3.6.1.5.5.7.3.6",
  "ipsec user": "1.3.6.1.5.5.7.3.7",
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  "ocsp signing": x509.ExtendedKeyUsage.ocspSigning,
  "microsoft sgc": "1.3.6.1.4.1.311.10.3.3",
  "netscape sgc": "2.16.840.1.113730.4.1",
};

export interface SignRequestOptions {
  ca: { certPem: string; keyPem: string };
  request: ParsedCertificateRequest;
  usages: string[];
  notBefore: Date;
  notAfter: Date;
}

/** Issues the certificate for an approved request, signed by the cluster CA. Returns PEM. */
export async function signCertificateRequest(opts: SignRequestOptions): Promise<string> {
  const caCert = new x509.X509Certificate(opts.ca.certPem);
  const caKey = await importPrivateKey(opts.ca.keyPem);
  const r = opts.request;
  const bits = opts.usages.reduce<number>((acc, u) => acc | (KEY_USAGE_BITS[u] ?? 0), 0);
  const ekus = [...new Set(opts.usages.map((u) => EXT_KEY_USAGE_OIDS[u]).filter((o): o is string => o !== undefined))];
  const extensions: x509.Extension[] = [];
  if (bits) extensions.push(new x509.KeyUsagesExtension(bits as x509.KeyUsageFlags, true));
  if (ekus.length) extensions.push(new x509.ExtendedKeyUsageExtension(ekus));
  extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (caSki) extensions.push(new x509.AuthorityKeyIdentifierExtension(caSki.keyId));
  const sans: x509.JsonGeneralNames = [
    ...r.dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...r.emailAddresses.map((value) => ({ type: "email" as const, value })),
    ...r.ipAddresses.map((value) => ({ type: "ip" as const, value })),
    ...r.uris.map((value) => ({ type: "url" as const, value })),
  ];
  if (sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString("hex"),
    subject: r.request.subjectName,
    issuer: caCert.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: r.request.publicKey,
    signingKey: caKey.key,
    signingAlgorithm: caKey.algorithm,
    extensions,
  });
  return cert.toString("pem") + "\n";
}

async function importPrivateKey(keyPem: string): Promise<{ key: CryptoKey; algorithm: RsaHashedImportParams | EcdsaParams }> {
  const node = createPrivateKey(keyPem);
  const pkcs8 = node.export({ type: "pkcs8", format: "der" });
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  if (node.asymmetricKeyType === "rsa") {
    const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { key: await subtle.importKey("pkcs8", pkcs8, algorithm, false, ["sign"]), algorithm };
  }
  const key = await subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  return { key, algorithm: { name: "ECDSA", hash: "SHA-256" } };
}
