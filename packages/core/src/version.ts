/** The version of simplehttp, sent in the `Server` header. A test keeps it equal to package.json's. */
export const VERSION = "0.1.0";
