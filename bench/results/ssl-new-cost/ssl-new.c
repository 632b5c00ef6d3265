/* What a new SSL per link costs against clearing one, on the client context a manager uses (mutual TLS,
   peer verification, P-256 certificates). Prints CPU microseconds per iteration for each way. */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: ssl-new CERT KEY CA [ITERATIONS]\n"); return 2; }
    int n = argc > 4 ? atoi(argv[4]) : 100000;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, argv[1]) != 1 || SSL_CTX_use_PrivateKey_file(ctx, argv[2], SSL_FILETYPE_PEM) != 1
        || SSL_CTX_load_verify_locations(ctx, argv[3], NULL) != 1) { ERR_print_errors_fp(stderr); return 1; }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);

    for (int round = 0; round < 3; round++) {
        double t0 = cpu_us();
        for (int i = 0; i < n; i++) {
            SSL *ssl = SSL_new(ctx);
            BIO *in = BIO_new(BIO_s_mem()), *out = BIO_new(BIO_s_mem());
            BIO_set_mem_eof_return(in, -1);
            BIO_set_mem_eof_return(out, -1);
            SSL_set_bio(ssl, in, out);
            SSL_set_connect_state(ssl);
            SSL_set_tlsext_host_name(ssl, "agent-00001");
            SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            SSL_set1_host(ssl, "agent-00001");
            SSL_free(ssl);
        }
        double t1 = cpu_us();
        SSL *kept = SSL_new(ctx);
        SSL_set_bio(kept, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
        SSL_set_connect_state(kept);
        SSL_set1_host(kept, "agent-00001");
        double t2 = cpu_us();
        for (int i = 0; i < n; i++) {
            SSL_clear(kept);
            (void)BIO_reset(SSL_get_rbio(kept));
            (void)BIO_reset(SSL_get_wbio(kept));
            SSL_set_connect_state(kept);
        }
        double t3 = cpu_us();
        SSL_free(kept);
        printf("round %d: SSL_new + 2 memory BIOs + names + SSL_free %.2f us, SSL_clear + BIO_reset %.2f us (%d iterations)\n",
               round + 1, (t1 - t0) / n, (t3 - t2) / n, n);
    }
    SSL_CTX_free(ctx);
    return 0;
}
