#ifndef MKT_CCRYPTO_SHIM_H
#define MKT_CCRYPTO_SHIM_H
/* OpenSSL's libcrypto, already on every machine that has libcurl: SHA-256 for token hashes,
   HMAC-SHA256 for webhook signatures, a constant-time comparison and a random source. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#endif
