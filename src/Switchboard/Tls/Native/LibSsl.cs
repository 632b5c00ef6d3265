using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

/// <summary>
/// The libssl functions the engine needs. Macros in the C headers become <c>SSL_ctrl</c>/<c>SSL_CTX_ctrl</c>
/// codes; C <c>long</c> is <c>nint</c>.
/// </summary>
internal static unsafe partial class LibSsl
{
    static LibSsl() => NativeLibraries.Register();

    public const int FileTypePem = 1;
    public const int VerifyPeer = 0x01;
    public const int VerifyFailIfNoPeerCert = 0x02;
    public const int ErrorNone = 0;
    public const int ErrorSsl = 1;
    public const int ErrorWantRead = 2;
    public const int ErrorWantWrite = 3;
    public const int ErrorSyscall = 5;
    public const int ErrorZeroReturn = 6;
    public const int SentShutdown = 1;
    public const int ReceivedShutdown = 2;
    public const ulong OpAllowNoDheKex = 1UL << 10;
    public const ulong OpNoTicket = 1UL << 14;
    public const ulong OpNoRenegotiation = 1UL << 30;
    public const uint X509CheckFlagNoPartialWildcards = 0x4;
    public const int SessionCacheOff = 0x0000;
    public const int SessionCacheClient = 0x0001;
    public const int SessionCacheServer = 0x0002;
    public const int SessionCacheNoInternal = 0x0300;
    public const int SessionCacheNoInternalStore = 0x0200;
    public const int Tls12Version = 0x0303;
    public const int Tls13Version = 0x0304;
    public const int ReasonCertificateVerifyFailed = 134;
    public const int AlertReasonOffset = 1000;
    public const int VerifyErrorHostnameMismatch = 62;

    public const int CtrlMode = 33;
    public const int CtrlSetSessionCacheMode = 44;
    public const int CtrlBuildCertChain = 105;
    public const nint ModeNoAutoChain = 0x8;
    public const nint ModeReleaseBuffers = 0x10;
    public const nint BuildChainNoRoot = 0x2;
    public const nint BuildChainIgnoreError = 0x8;
    public const nint BuildChainClearError = 0x10;
    public const int CtrlSetTlsextHostName = 55;
    public const int CtrlSetTlsextTicketKeyCallback = 72;
    public const int CtrlGetPeerTmpKey = 109;
    public const int CtrlSetMinProtoVersion = 123;
    public const int CtrlSetMaxProtoVersion = 124;
    public const int CtrlGetNegotiatedGroup = 134;
    public const int TlsextNameTypeHostName = 0;

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr TLS_client_method();

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr TLS_server_method();

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial SslContextHandle SSL_CTX_new(IntPtr method);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_CTX_free(IntPtr context);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nint SSL_CTX_ctrl(SslContextHandle context, int command, nint larg, IntPtr parg);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nint SSL_CTX_callback_ctrl(SslContextHandle context, int command, IntPtr callback);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial ulong SSL_CTX_set_options(SslContextHandle context, ulong options);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_CTX_set_num_tickets(SslContextHandle context, nuint tickets);

    [LibraryImport(NativeLibraries.Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_load_verify_locations(SslContextHandle context, string file, string? directory);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_CTX_get_cert_store(SslContextHandle context);

    [LibraryImport(NativeLibraries.Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_use_certificate_chain_file(SslContextHandle context, string file);

    [LibraryImport(NativeLibraries.Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_use_PrivateKey_file(SslContextHandle context, string file, int type);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_CTX_check_private_key(SslContextHandle context);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_CTX_set_verify(SslContextHandle context, int mode, IntPtr callback);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_CTX_set_session_id_context(SslContextHandle context, byte* id, uint length);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_CTX_sess_set_new_cb(SslContextHandle context, IntPtr callback);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_CTX_sess_set_get_cb(SslContextHandle context, IntPtr callback);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_CTX_sess_set_remove_cb(SslContextHandle context, IntPtr callback);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_CTX_get0_certificate(SslContextHandle context);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_CTX_set_ex_data(SslContextHandle context, int index, IntPtr data);

    /// <summary>For <see cref="SslContextHandle.ReleaseHandle"/>, where the SafeHandle can no longer be marshalled.</summary>
    [LibraryImport(NativeLibraries.Ssl, EntryPoint = "SSL_CTX_set_ex_data")]
    public static partial int SSL_CTX_set_ex_data_raw(IntPtr context, int index, IntPtr data);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_CTX_get_ex_data(IntPtr context, int index);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial SslHandle SSL_new(SslContextHandle context);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_free(IntPtr ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_set_bio(SslHandle ssl, IntPtr readBio, IntPtr writeBio);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_set_connect_state(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_set_accept_state(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nint SSL_ctrl(SslHandle ssl, int command, nint larg, IntPtr parg);

    [LibraryImport(NativeLibraries.Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_set1_host(SslHandle ssl, string hostName);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_set_hostflags(SslHandle ssl, uint flags);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_set_session(SslHandle ssl, TlsSession session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get_session(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get1_session(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_do_handshake(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_read(SslHandle ssl, byte* buffer, int length);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_write(SslHandle ssl, byte* buffer, int length);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_shutdown(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_set_shutdown(SslHandle ssl, int mode);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_get_shutdown(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_get_error(SslHandle ssl, int result);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_has_pending(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_free_buffers(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nint SSL_get_verify_result(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_version(IntPtr ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_session_reused(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get_version(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get_current_cipher(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_CIPHER_get_name(IntPtr cipher);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial X509Handle SSL_get1_peer_certificate(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get_peer_cert_chain(SslHandle ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_set_ex_data(SslHandle ssl, int index, IntPtr data);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get_ex_data(IntPtr ssl, int index);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_get_SSL_CTX(IntPtr ssl);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial void SSL_SESSION_free(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int i2d_SSL_SESSION(IntPtr session, byte** output);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr d2i_SSL_SESSION(IntPtr reuse, byte** input, nint length);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_SESSION_get_protocol_version(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_SESSION_get0_hostname(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_SESSION_set1_hostname(IntPtr session, string hostname);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial IntPtr SSL_SESSION_get0_peer(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nint SSL_SESSION_get_time(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nint SSL_SESSION_get_timeout(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial nuint SSL_SESSION_get_ticket_lifetime_hint(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial int SSL_SESSION_is_resumable(IntPtr session);

    [LibraryImport(NativeLibraries.Ssl)]
    public static partial byte* SSL_SESSION_get_id(IntPtr session, uint* length);
}
