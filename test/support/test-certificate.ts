/**
 * A self-signed certificate for the HTTPS and HTTP/2 tests, made with node:crypto alone: Node 20
 * can make keys and signatures but not X.509 certificates, and a certificate is only a small DER
 * structure (RFC 5280 §4.1) around a public key and a signature, so it is written here rather
 * than by openssl on the PATH or a dependency. ECDSA P-256 keys take a millisecond, so each test
 * process makes its own, once (the first call), and nothing is written to disk.
 *
 * Its subjectAltName names `localhost`, 127.0.0.1 and ::1 (RFC 6125: clients match those, never
 * the CN), so clients verify it properly with `ca: cert` rather than turning verification off.
 *
 * @module
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from "node:crypto";

/** A certificate and its private key, both PEM, as `ServeOptions.tls` takes them. */
export interface TestCertificate {
  cert: string;
  key: string;
}

let made: TestCertificate | undefined;

/** This process's test certificate (made on the first call): trust it with `ca: cert`. */
export function testCertificate(): TestCertificate {
  made ??= makeCertificate("simplehttp test");
  return made;
}

/** Another key pair's private key (PEM): valid, and matching no test certificate. */
export function unrelatedKey(): string {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
}

/** The environment variable through which a spawned test server receives the certificate (JSON). */
export const TLS_ENV = "SIMPLEHTTP_TEST_TLS";

/** `{ [TLS_ENV]: JSON }`, to merge into a spawned server's environment. */
export function tlsEnvironment(): Record<string, string> {
  return { [TLS_ENV]: JSON.stringify(testCertificate()) };
}

const DAY_MS = 86_400_000;

function makeCertificate(commonName: string): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const now = Date.now();
  const name = sequence(set(sequence(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName, "utf8")))));
  // ecdsa-with-SHA256 (RFC 5758 §3.2): the parameters are absent.
  const algorithm = sequence(oid("1.2.840.10045.4.3.2"));
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, and no leading zero byte (RFC 5280 §4.1.2.2)
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // v3, for extensions
    integer(serial),
    algorithm,
    name,
    sequence(utcTime(new Date(now - DAY_MS)), utcTime(new Date(now + 30 * DAY_MS))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(
      0xa3,
      sequence(
        // subjectAltName: dNSName [2] localhost, iPAddress [7] 127.0.0.1 and ::1.
        extension(
          "2.5.29.17",
          false,
          sequence(
            tlv(0x82, Buffer.from("localhost")),
            tlv(0x87, Buffer.from([127, 0, 0, 1])),
            tlv(0x87, Buffer.from([...Array<number>(15).fill(0), 1])),
          ),
        ),
        // basicConstraints: not a CA; keyUsage: digitalSignature; extKeyUsage: serverAuth.
        extension("2.5.29.19", true, sequence()),
        extension("2.5.29.15", true, tlv(0x03, Buffer.from([0x07, 0x80]))),
        extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))),
      ),
    ),
  );
  // An EC signature from node:crypto is DER already (dsaEncoding "der"), as X.509 wants it.
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert =
    "-----BEGIN CERTIFICATE-----\n" +
    `${der.toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  // Parsed back and checked, so a mistake in the encoding fails here rather than in a handshake.
  const parsed = new X509Certificate(cert);
  if (
    !parsed.verify(publicKey) ||
    !parsed.checkPrivateKey(createPrivateKey(key)) ||
    parsed.checkIP("127.0.0.1") === undefined
  ) {
    throw new Error("test certificate: the certificate made does not verify");
  }
  return { cert, key };
}

// DER (X.690 §8): tag, length (short form below 128, else long form), content.
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) base128.unshift((value & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = `${date.toISOString().replace(/[-:T]/g, "").slice(2, 14)}Z`; // YYMMDDHHMMSSZ
  return tlv(0x17, Buffer.from(text, "latin1"));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}
