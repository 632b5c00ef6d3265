using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

/// <summary>ALPN (RFC 7301): how a client and our listener agree on the acknowledged framing.</summary>
internal static unsafe partial class LibSsl
{
    /// <summary>The select callback's answers (<c>SSL_TLSEXT_ERR_OK</c>, <c>SSL_TLSEXT_ERR_NOACK</c>).</summary>
    public const int TlsextErrOk = 0;
    public const int TlsextErrNoAck = 3;

    /// <summary>Client: the wire-format list offered. Unlike most of libssl, returns 0 on success.</summary>
    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_CTX_set_alpn_protos(SslContextHandle context, byte* protocols, uint length);

    /// <summary>Server: <c>int cb(SSL*, const unsigned char **out, unsigned char *outlen, const unsigned char *in, unsigned int inlen, void *arg)</c>.</summary>
    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_CTX_set_alpn_select_cb(SslContextHandle context, IntPtr callback, IntPtr argument);

    /// <summary>The protocol both sides agreed on; length 0 when none was.</summary>
    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_get0_alpn_selected(SslHandle ssl, byte** data, uint* length);
}
