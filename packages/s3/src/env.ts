/**
 * The options from the environment variables every AWS tool reads, for a command or a worker.
 *
 * @module
 */
import type { S3Options } from "./options.js";

/** Environment variables: `process.env`, `Deno.env.toObject()`, or a worker's `env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * `S3Options` for `bucket` from the standard variables ("Environment variables to configure the
 * AWS CLI"; "Service-specific endpoints", AWS SDKs and Tools reference):
 *
 * - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (required), `AWS_SESSION_TOKEN`;
 * - `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`;
 * - `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else AWS itself.
 *
 * Throws one sentence naming what is missing.
 *
 * @example
 * ```ts
 * const fs = s3FileSystem(s3OptionsFromEnv(process.env, "my-site", "public"));
 * ```
 */
export function s3OptionsFromEnv(env: Environment, bucket: string, prefix?: string): S3Options {
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = [
      accessKeyId === undefined && "AWS_ACCESS_KEY_ID",
      secretAccessKey === undefined && "AWS_SECRET_ACCESS_KEY",
    ]
      .filter(Boolean)
      .join(" and ");
    throw new Error(`Serving a bucket needs credentials: set ${missing}.`);
  }
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  return {
    bucket,
    ...(prefix !== undefined && { prefix }),
    ...(region !== undefined && { region }),
    ...(endpoint !== undefined && { endpoint }),
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && { sessionToken }) },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
