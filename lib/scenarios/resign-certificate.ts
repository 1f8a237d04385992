import "@/lib/reflect-metadata-shim";
import { createPrivateKey, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface ResignOptions {
  /** The certificate to re-sign (PEM). Its subject, public key and every extension are kept. */
  certPem: string;
  /** The CA that signed it (PEM) and the CA's private key (PEM, PKCS#1, PKCS#8 or SEC1). */
  caCertPem: string;
  caKeyPem: string;
  notBefore: Date;
  notAfter: Date;
}

const crypto = webcrypto as unknown as Crypto;

function signingAlgorithm(caKeyPem: string): { importAlg: RsaHashedImportParams | EcKeyImportParams; sign: Algorithm | EcdsaParams } {
  const key = createPrivateKey(caKeyPem);
  if (key.asymmetricKeyType === "rsa") {
    return {
      importAlg: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      sign: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as Algorithm,
    };
  }
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === "prime256v1" ? "P-256" : curve === "secp384r1" ? "P-384" : curve === "secp521r1" ? "P-521" : undefined;
    if (!namedCurve) throw new Error(`The CA key uses curve ${curve ?? "?"}, which cannot be used to sign here.`);
    return { importAlg: { name: "ECDSA", namedCurve }, sign: { name: "ECDSA", hash: namedCurve === "P-256" ? "SHA-256" : "SHA-384" } as EcdsaParams };
  }
  throw new Error(`The CA key is ${key.asymmetricKeyType ?? "unknown"}; only RSA and ECDSA CAs are supported.`);
}

/**
 * Signs a copy of a certificate with new validity dates from its own CA. Subject, public key and
 * every extension (SANs, key usages, basic constraints, key identifiers) are the original's,
 * because `kubeadm certs renew` uses the existing certificate as its template and refuses one
 * without them. The serial number is new, as for any reissue.
 *
 * @example
 * const expired = await resignCertificate({ certPem, caCertPem, caKeyPem,
 *   notBefore: new Date("2024-01-01T00:00:00Z"), notAfter: new Date("2025-01-01T00:00:00Z") });
 */
export async function resignCertificate(opts: ResignOptions): Promise<string> {
  const cert = new x509.X509Certificate(opts.certPem);
  const ca = new x509.X509Certificate(opts.caCertPem);
  const alg = signingAlgorithm(opts.caKeyPem);
  const pkcs8 = createPrivateKey(opts.caKeyPem).export({ type: "pkcs8", format: "der" });
  const signingKey = await crypto.subtle.importKey("pkcs8", pkcs8, alg.importAlg, false, ["sign"]);
  const out = await x509.X509CertificateGenerator.create(
    {
      serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex").replace(/^[89a-f]/, "1"),
      subject: cert.subjectName,
      issuer: ca.subjectName,
      notBefore: opts.notBefore,
      notAfter: opts.notAfter,
      publicKey: cert.publicKey,
      signingKey,
      extensions: cert.extensions,
      signingAlgorithm: alg.sign,
    },
    crypto,
  );
  return out.toString("pem") + "\n";
}
