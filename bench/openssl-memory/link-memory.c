/*
 * What OpenSSL 3 itself holds for one idle mutual-TLS client link, the way Switchboard drives it
 * (memory BIOs, RELEASE_BUFFERS, external client session cache), measured with glibc's mallinfo2:
 * N client/server pairs handshake in memory, the servers are freed, and the clients' heap is read
 * after the handshake, after SSL_free_buffers and after swapping in fresh BIOs (TlsConnection.Bios.cs).
 *
 *   gcc -O2 -o link-memory link-memory.c -lssl -lcrypto
 *   dotnet run --project src/Switchboard.Cli -- certs --out /tmp/pki --agents 1
 *   ./link-memory 1 1 /tmp/pki/      # tickets per handshake, keep sessions (1/0), certs directory
 *
 * On this project's machine (OpenSSL 3.0, P-256): 44.8 KiB after the handshake, 28.2 KiB after
 * SSL_free_buffers, 25.1 KiB with fresh BIOs; SSL_new alone is 8.5 KiB, a parsed P-256 certificate 5.3 KiB.
 */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define N 1000
static const char *P; /* a `switchboard certs` directory, ending in / (argv[3]) */
static SSL_SESSION *kept[N*4]; static int nkept=0; static int keep=1;
static int newsess(SSL *s, SSL_SESSION *sess){ if(!keep) return 0; kept[nkept++]=sess; return 1; }
static size_t used(){ struct mallinfo2 m=mallinfo2(); return m.uordblks; }
static void pump(SSL *c, SSL *s){
  char buf[65536];
  for(int i=0;i<200;i++){
    int moved=0;
    BIO *co=SSL_get_wbio(c), *si=SSL_get_rbio(s), *so=SSL_get_wbio(s), *ci=SSL_get_rbio(c);
    int n; while((n=BIO_read(co,buf,sizeof buf))>0){BIO_write(si,buf,n);moved=1;}
    while((n=BIO_read(so,buf,sizeof buf))>0){BIO_write(ci,buf,n);moved=1;}
    if(!SSL_is_init_finished(c)) SSL_do_handshake(c); else { char x[16]; SSL_read(c,x,sizeof x);} 
    if(!SSL_is_init_finished(s)) SSL_do_handshake(s); else { char x[16]; SSL_read(s,x,sizeof x);} 
    if(!moved && SSL_is_init_finished(c) && SSL_is_init_finished(s) && i>5) break;
  }
}
int main(int argc,char**argv){
  int tickets = argc>1?atoi(argv[1]):1; keep = argc>2?atoi(argv[2]):1;
  P = argc>3?argv[3]:"./pki/";
  char f[512];
  SSL_CTX *cc=SSL_CTX_new(TLS_client_method()), *sc=SSL_CTX_new(TLS_server_method());
  sprintf(f,"%sca.crt",P); SSL_CTX_load_verify_locations(cc,f,NULL); SSL_CTX_load_verify_locations(sc,f,NULL);
  sprintf(f,"%smaster.crt",P); SSL_CTX_use_certificate_file(cc,f,SSL_FILETYPE_PEM);
  sprintf(f,"%smaster.key",P); SSL_CTX_use_PrivateKey_file(cc,f,SSL_FILETYPE_PEM);
  sprintf(f,"%sagents/agent-00000.crt",P); SSL_CTX_use_certificate_file(sc,f,SSL_FILETYPE_PEM);
  sprintf(f,"%sagents/agent-00000.key",P); SSL_CTX_use_PrivateKey_file(sc,f,SSL_FILETYPE_PEM);
  SSL_CTX_set_verify(cc,SSL_VERIFY_PEER,NULL); SSL_CTX_set_verify(sc,SSL_VERIFY_PEER|SSL_VERIFY_FAIL_IF_NO_PEER_CERT,NULL);
  SSL_CTX_set_session_id_context(sc,(const unsigned char*)"sb",2);
  SSL_CTX_set_mode(cc,SSL_MODE_RELEASE_BUFFERS); SSL_CTX_set_mode(sc,SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_session_cache_mode(cc,SSL_SESS_CACHE_CLIENT|SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(cc,newsess);
  SSL_CTX_set_session_cache_mode(sc,SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(sc,tickets);
  static SSL *C[N],*S[N];
  // warm up
  size_t u0=used();
  for(int i=0;i<N;i++){
    C[i]=SSL_new(cc); S[i]=SSL_new(sc);
    SSL_set_bio(C[i],BIO_new(BIO_s_mem()),BIO_new(BIO_s_mem()));
    SSL_set_bio(S[i],BIO_new(BIO_s_mem()),BIO_new(BIO_s_mem()));
    SSL_set_connect_state(C[i]); SSL_set_accept_state(S[i]);
    SSL_set_tlsext_host_name(C[i],"agent-00000");
    pump(C[i],S[i]);
    if(!SSL_is_init_finished(C[i])){ERR_print_errors_fp(stderr);return 1;}
  }
  for(int i=0;i<N;i++){ SSL_free(S[i]); S[i]=NULL; }
  size_t u1=used();
  for(int i=0;i<N;i++) SSL_free_buffers(C[i]);
  size_t u2=used();
  // replace BIOs with fresh
  for(int i=0;i<N;i++) SSL_set_bio(C[i],BIO_new(BIO_s_mem()),BIO_new(BIO_s_mem()));
  size_t u3=used();
  size_t sess=0; { size_t b=used(); for(int i=0;i<nkept;i++) SSL_SESSION_free(kept[i]); sess=b-used(); }
  size_t u4=used();
  printf("tickets=%d keep=%d kept=%d: client per link after hs %.0f B, after free_buffers %.0f B, after fresh bios %.0f B; kept sessions %.0f B/link; SSL alone %.0f B\n",
    tickets,keep,nkept,(double)(u1-u0)/N,(double)(u2-u0)/N,(double)(u3-u0)/N,(double)sess/N,(double)(u4-u0)/N);
  return 0;
}
