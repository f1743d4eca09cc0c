/** What every S3 test signs with: runtime-neutral, so a worker bundle can import it. */

/** Credentials moto accepts while its checks are off (any will do). */
export const MOTO_CREDENTIALS = { accessKeyId: "simplehttp-test", secretAccessKey: "simplehttp-test-secret" } as const;
export const MOTO_REGION = "us-east-1";
