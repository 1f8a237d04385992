import "@/lib/reflect-metadata-shim";
import { createPrivateKey, createPublicKey, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { takePooledRsaKey } from "./key-pool";

/**
 * x509 primitives for a sim cluster's PKI: real certificates that openssl, kubectl and Node's TLS
 * accept, with the extensions kubeadm puts on its own (keyUsage, extKeyUsage, basicConstraints,
 * SANs, SKI/AKI). Dates are arbitrary so faults like "expired apiserver certificate" are real.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type KeyAlgorithm = "rsa-2048" | "ecdsa-p256";

export type KeyUsageName =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign";

export type ExtKeyUsageName = "serverAuth" | "clientAuth";

export interface KeyPairPem {
  /** PEM; RSA keys as PKCS#1 ("RSA PRIVATE KEY") and EC keys as SEC1 ("EC PRIVATE KEY"), like kubeadm writes them. */
  keyPem: string;
  publicKeyPem: string;
}

export interface CertPem extends KeyPairPem {
  certPem: string;
}

export interface CreateCaOptions {
  commonName: string; // "kubernetes", "etcd-ca", "front-proxy-ca"
  notBefore?: Date;
  notAfter?: Date;
  algorithm?: KeyAlgorithm;
}

export interface IssueCertOptions {
  /** The signing CA (its cert and key PEM). */
  ca: { certPem: string; keyPem: string };
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: KeyUsageName[];
  extKeyUsage?: ExtKeyUsageName[];
  /** Defaults to false (a leaf). */
  isCa?: boolean;
  algorithm?: KeyAlgorithm;
  /** Reuse an existing key (kubeadm certs renew keeps the key). PEM in any form Node reads. */
  existingKeyPem?: string;
}

const KEY_USAGE: Record<KeyUsageName, x509.KeyUsageFlags> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

const EXT_KEY_USAGE: Record<ExtKeyUsageName, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
};

const RSA: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
};
const EC: EcKeyGenParams & EcdsaParams = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

function algParams(a: KeyAlgorithm): RsaHashedKeyGenParams | (EcKeyGenParams & EcdsaParams) {
  return a === "rsa-2048" ? RSA : EC;
}

async function generateKeys(a: KeyAlgorithm): Promise<CryptoKeyPair> {
  if (a === "rsa-2048") {
    const pooled = takePooledRsaKey();
    if (pooled) return (await importKeys(pooled)).keys;
  }
  return (await subtle.generateKey(algParams(a), true, ["sign", "verify"])) as CryptoKeyPair;
}

function pemBody(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function exportKeys(keys: CryptoKeyPair): Promise<KeyPairPem> {
  const pkcs8 = await subtle.exportKey("pkcs8", keys.privateKey);
  const node = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
  const keyPem =
    node.asymmetricKeyType === "rsa"
      ? String(node.export({ type: "pkcs1", format: "pem" }))
      : String(node.export({ type: "sec1", format: "pem" }));
  const spki = await subtle.exportKey("spki", keys.publicKey);
  return { keyPem, publicKeyPem: pemBody("PUBLIC KEY", spki) };
}

/** Imports a PEM private key (PKCS#1, SEC1 or PKCS#8) as a WebCrypto key pair for signing. */
async function importKeys(keyPem: string): Promise<{ keys: CryptoKeyPair; algorithm: KeyAlgorithm }> {
  const node = createPrivateKey(keyPem);
  const algorithm: KeyAlgorithm = node.asymmetricKeyType === "rsa" ? "rsa-2048" : "ecdsa-p256";
  const params = algorithm === "rsa-2048" ? { name: RSA.name, hash: RSA.hash } : { name: EC.name, namedCurve: EC.namedCurve };
  const pkcs8 = node.export({ type: "pkcs8", format: "der" });
  const privateKey = await subtle.importKey("pkcs8", pkcs8, params, true, ["sign"]);
  const spki = createPublicKey(node).export({ type: "spki", format: "der" });
  const publicKey = await subtle.importKey("spki", spki, params, true, ["verify"]);
  return { keys: { privateKey, publicKey }, algorithm };
}

function serial(): string {
  // Positive 63-bit serial, like Go's crypto/x509 users pick (kubeadm uses a random big.Int).
  const b = webcrypto.getRandomValues(new Uint8Array(8));
  b[0] = b[0]! & 0x7f;
  if (b[0] === 0) b[0] = 1;
  return Buffer.from(b).toString("hex");
}

function dnName(cn: string, orgs: string[] = []): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, "\\$1");
  return [...orgs.map((o) => `O=${esc(o)}`), `CN=${esc(cn)}`].join(", ");
}

function keyUsageFlags(names: KeyUsageName[]): x509.KeyUsageFlags {
  return names.reduce<number>((acc, n) => acc | KEY_USAGE[n], 0) as x509.KeyUsageFlags;
}

/** A self-signed CA like kubeadm's `ca.crt` (10 years by default). */
export async function createCa(opts: CreateCaOptions): Promise<CertPem> {
  const algorithm = opts.algorithm ?? "rsa-2048";
  const keys = await generateKeys(algorithm);
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: dnName(opts.commonName),
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: algParams(algorithm),
    extensions: [
      new x509.KeyUsagesExtension(keyUsageFlags(["digitalSignature", "keyEncipherment", "keyCertSign"]), true),
      new x509.BasicConstraintsExtension(true, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem") + "\n", ...(await exportKeys(keys)) };
}

/** Issues a certificate signed by `ca`, with the extensions and dates given. */
export async function issueCert(opts: IssueCertOptions): Promise<CertPem> {
  const caCert = new x509.X509Certificate(opts.ca.certPem);
  const { keys: caKeys, algorithm: caAlg } = await importKeys(opts.ca.keyPem);
  let keys: CryptoKeyPair;
  if (opts.existingKeyPem) keys = (await importKeys(opts.existingKeyPem)).keys;
  else keys = await generateKeys(opts.algorithm ?? "rsa-2048");
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 365 * 24 * 3600 * 1000);
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(keyUsageFlags(opts.keyUsage ?? ["digitalSignature", "keyEncipherment"]), true),
  ];
  if (opts.extKeyUsage?.length) extensions.push(new x509.ExtendedKeyUsageExtension(opts.extKeyUsage.map((u) => EXT_KEY_USAGE[u])));
  extensions.push(new x509.BasicConstraintsExtension(Boolean(opts.isCa), undefined, true));
  if (opts.isCa) extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  extensions.push(
    caSki ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId) : await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
  );
  const sans: x509.JsonGeneralNames = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  if (sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: dnName(opts.commonName, opts.organizations),
    issuer: caCert.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: algParams(caAlg),
    extensions,
  });
  const exported = opts.existingKeyPem
    ? { keyPem: opts.existingKeyPem, publicKeyPem: (await exportKeys(keys)).publicKeyPem }
    : await exportKeys(keys);
  return { certPem: cert.toString("pem") + "\n", ...exported };
}

/** What a certificate says, for node tools (kubeadm certs check-expiration) and tests. */
export interface CertInfo {
  subject: string;
  issuer: string;
  commonName: string;
  organizations: string[];
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
  isCa: boolean;
  keyUsage: KeyUsageName[];
  extKeyUsage: ExtKeyUsageName[];
}

export function readCert(certPem: string): CertInfo {
  const c = new x509.X509Certificate(certPem);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const names = san?.names.toJSON() ?? [];
  const subjectName = new x509.Name(c.subject);
  return {
    subject: c.subject,
    issuer: c.issuer,
    commonName: subjectName.getField("CN")[0] ?? "",
    organizations: subjectName.getField("O"),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    dnsNames: names.filter((n) => n.type === "dns").map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === "ip").map((n) => n.value),
    isCa: Boolean(bc?.ca),
    keyUsage: (Object.keys(KEY_USAGE) as KeyUsageName[]).filter((k) => ku && (ku.usages & KEY_USAGE[k]) !== 0),
    extKeyUsage: (Object.keys(EXT_KEY_USAGE) as ExtKeyUsageName[]).filter((k) => eku?.usages.includes(EXT_KEY_USAGE[k])),
  };
}
