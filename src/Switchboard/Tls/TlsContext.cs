using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// One configured OpenSSL <c>SSL_CTX</c>: trust, identity, protocol policy, and resumption machinery.
/// Safe to share across threads once created; connections take their own reference to it.
/// </summary>
internal sealed unsafe partial class TlsContext : IDisposable
{
    // Without a session-ID context a server that verifies client certificates refuses to resume
    // (OpenSSL treats the session as belonging to no application) and silently does a full handshake.
    private static ReadOnlySpan<byte> SessionIdContext => "switchboard"u8;

    private readonly SslContextHandle _handle;
    private readonly IServerSessionCache? _sessionCache;
    private volatile TicketKeySet? _ticketKeys;
    private int _ticketCallbackInstalled;

    private TlsContext(SslContextHandle handle, bool isServer, TlsContextOptions options, IServerSessionCache? sessionCache)
    {
        this._handle = handle;
        IsServer = isServer;
        Options = options;
        this._sessionCache = sessionCache;
        handle.Owner = GCHandle.Alloc(this, GCHandleType.Weak);
        LibSsl.SSL_CTX_set_ex_data(handle, ExDataIndex.Context, GCHandle.ToIntPtr(handle.Owner));
    }

    public bool IsServer { get; }

    public TlsContextOptions Options { get; }

    /// <summary>SHA-256 of our certificate's DER, lowercase hex: part of the client's session-cache key.</summary>
    public string CertificateFingerprint { get; private set; } = "";

    /// <summary>
    /// Names the CA bundle this context verifies peers against (a hash of the file): sessions are kept per trust,
    /// so a reload that changes the bundle leaves none that were verified under the old one.
    /// </summary>
    public string TrustFingerprint { get; private set; } = "";

    /// <summary>When our own certificate runs out.</summary>
    public DateTime? CertificateNotAfterUtc { get; private set; }

    /// <summary>When the loaded revocation list goes stale (its earliest nextUpdate); null without one.</summary>
    public DateTime? CrlNextUpdateUtc { get; private set; }

    /// <summary>The serials the installed CRL revokes (empty without one), for closing live links on a reload.</summary>
    public IReadOnlySet<string> RevokedSerials { get; private set; } = new HashSet<string>();

    /// <summary>The CRL was past its nextUpdate when loaded (set aside unless <c>crl-required</c>).</summary>
    public bool CrlStale { get; private set; }

    internal SslContextHandle Handle => _handle;

    public static TlsContext CreateClient(TlsContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = Create(LibSsl.TLS_client_method(), isServer: false, options, sessionCache: null);
        // We keep sessions ourselves: OpenSSL hands each new one (TLS 1.2 at the end of the handshake,
        // TLS 1.3 tickets as SSL_read meets them) to the callback, and stores nothing internally.
        LibSsl.SSL_CTX_ctrl(context._handle, LibSsl.CtrlSetSessionCacheMode, LibSsl.SessionCacheClient | LibSsl.SessionCacheNoInternalStore, IntPtr.Zero);
        LibSsl.SSL_CTX_sess_set_new_cb(context._handle, (IntPtr)(delegate* unmanaged<IntPtr, IntPtr, int>)&TlsConnection.OnClientNewSession);
        LibSsl.SSL_CTX_set_verify(context._handle, LibSsl.VerifyPeer, IntPtr.Zero);
        return context;
    }

    public static TlsContext CreateServer(TlsContextOptions options, IServerSessionCache? sessionCache = null, TicketKeySet? ticketKeys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = Create(LibSsl.TLS_server_method(), isServer: true, options, sessionCache);
        var h = context._handle;
        LibSsl.SSL_CTX_set_verify(h, LibSsl.VerifyPeer | LibSsl.VerifyFailIfNoPeerCert, IntPtr.Zero);
        fixed (byte* id = SessionIdContext)
        {
            if (LibSsl.SSL_CTX_set_session_id_context(h, id, (uint)SessionIdContext.Length) != 1)
            {
                throw new TlsConfigurationException("OpenSSL refused the session-ID context");
            }
        }
        if (!options.SessionTickets)
        {
            LibSsl.SSL_CTX_set_options(h, LibSsl.OpNoTicket);
        }
        else
        {
            // One TLS 1.3 ticket per handshake (OpenSSL sends two, Go's crypto/tls one): every resumed
            // handshake brings a fresh one, and each extra ticket costs both sides a session object, an
            // encryption and cache bytes for as long as the link lives, times thousands of links.
            LibSsl.SSL_CTX_set_num_tickets(h, 1);
        }
        if (sessionCache is null)
        {
            // Tickets carry the whole session; an internal ID cache would be unbounded-by-bytes memory.
            LibSsl.SSL_CTX_ctrl(h, LibSsl.CtrlSetSessionCacheMode, LibSsl.SessionCacheOff, IntPtr.Zero);
        }
        else
        {
            context.InstallServerSessionCache();
        }
        if (ticketKeys is not null)
        {
            context.SetTicketKeys(ticketKeys);
        }
        return context;
    }

    /// <summary>
    /// Replaces the ticket keys; the next handshake on any thread sees the new set. Without any key set the
    /// server seals tickets with OpenSSL's own per-context random keys.
    /// </summary>
    public void SetTicketKeys(TicketKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!IsServer)
        {
            throw new InvalidOperationException("ticket keys belong to a server context");
        }
        Validate(keys.Current, nameof(keys.Current));
        if (keys.Previous is not null)
        {
            Validate(keys.Previous, nameof(keys.Previous));
        }
        if (keys.Next is not null)
        {
            Validate(keys.Next, nameof(keys.Next));
        }
        _ticketKeys = keys;
        if (Interlocked.Exchange(ref _ticketCallbackInstalled, 1) == 0)
        {
            LibSsl.SSL_CTX_callback_ctrl(_handle, LibSsl.CtrlSetTlsextTicketKeyCallback,
                (IntPtr)(delegate* unmanaged<IntPtr, byte*, byte*, IntPtr, IntPtr, int, int>)&OnTicketKey);
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void Validate(TicketKey key, string which)
    {
        if (key.Name is not { Length: TicketKey.NameLength } || key.HmacKey is not { Length: TicketKey.SecretLength } || key.AesKey is not { Length: TicketKey.SecretLength })
        {
            throw new ArgumentException($"ticket key {which} must have a {TicketKey.NameLength}-byte name and {TicketKey.SecretLength}-byte HMAC and AES keys", nameof(which));
        }
    }

    private static TlsContext Create(IntPtr method, bool isServer, TlsContextOptions options, IServerSessionCache? sessionCache)
    {
        if (options.Min > options.Max)
        {
            throw new TlsConfigurationException($"minimum TLS version {options.Min} is above maximum {options.Max}");
        }
        OpenSslError.Clear();
        var handle = LibSsl.SSL_CTX_new(method);
        if (handle.IsInvalid)
        {
            throw new TlsConfigurationException("SSL_CTX_new failed: " + OpenSslError.TakeText("out of memory?"));
        }
        try
        {
            var context = new TlsContext(handle, isServer, options, sessionCache);
            context.Configure();
            return context;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private void Configure()
    {
        var o = Options;
        LibSsl.SSL_CTX_ctrl(_handle, LibSsl.CtrlSetMinProtoVersion, WireVersion(o.Min), IntPtr.Zero);
        LibSsl.SSL_CTX_ctrl(_handle, LibSsl.CtrlSetMaxProtoVersion, WireVersion(o.Max), IntPtr.Zero);
        if (o.AllowPskWithoutDhe)
        {
            LibSsl.SSL_CTX_set_options(_handle, LibSsl.OpAllowNoDheKex);
        }

        // A link is authenticated once, at its handshake; a peer must not renegotiate its way to another identity.
        LibSsl.SSL_CTX_set_options(_handle, LibSsl.OpNoRenegotiation);
        RequireFile(o.CaPath, "CA bundle");
        RequireFile(o.CertificatePath, "certificate");
        RequireFile(o.PrivateKeyPath, "private key");
        if (PrivateKeyFile.Problem(o.PrivateKeyPath) is { } exposed)
        {
            throw new TlsConfigurationException(exposed);
        }

        Load(LibSsl.SSL_CTX_load_verify_locations(_handle, o.CaPath, null), "CA bundle", o.CaPath);
        if (o.CrlPath is { } crlPath)
        {
            using var crls = CrlFile.Load(crlPath);
            CrlNextUpdateUtc = crls.NextUpdateUtc;
            // A stale list is set aside unless the operator asked to fail closed: OpenSSL then refuses every
            // peer with "CRL has expired" until a fresh one is loaded.
            CrlStale = crls.IsExpired(DateTime.UtcNow);
            if (!CrlStale || o.CrlRequired)
            {
                crls.InstallInto(LibSsl.SSL_CTX_get_cert_store(_handle));
                RevokedSerials = crls.RevokedSerials();
            }
        }

        Load(LibSsl.SSL_CTX_use_certificate_chain_file(_handle, o.CertificatePath), "certificate", o.CertificatePath);
        Load(LibSsl.SSL_CTX_use_PrivateKey_file(_handle, o.PrivateKeyPath, LibSsl.FileTypePem), "private key", $"{o.PrivateKeyPath}' for certificate '{o.CertificatePath}");
        OpenSslError.Clear();
        if (LibSsl.SSL_CTX_check_private_key(_handle) != 1)
        {
            throw new TlsConfigurationException(
                $"private key '{o.PrivateKeyPath}' does not match certificate '{o.CertificatePath}': {OpenSslError.TakeText("key mismatch")}");
        }
        // Build the chain we present once, from the certificate file and the CA bundle, without the root the
        // peer must already trust. Left to itself OpenSSL rebuilds (and verifies) it on every handshake and
        // sends the root along, which is wasted CPU and bytes in a reconnect storm.
        LibSsl.SSL_CTX_ctrl(_handle, LibSsl.CtrlBuildCertChain,
            LibSsl.BuildChainNoRoot | LibSsl.BuildChainIgnoreError | LibSsl.BuildChainClearError, IntPtr.Zero);
        // Release buffers: an idle link would otherwise keep OpenSSL's ~16 KB read and write record buffers
        // for its whole life; with thousands of mostly idle links that is most of their memory.
        LibSsl.SSL_CTX_ctrl(_handle, LibSsl.CtrlMode, LibSsl.ModeNoAutoChain | LibSsl.ModeReleaseBuffers, IntPtr.Zero);
        ConfigureAlpn();
        OpenSslError.Clear();
        CertificateFingerprint = Fingerprint();
        CertificateNotAfterUtc = PeerIdentity.NotAfterUtc(LibSsl.SSL_CTX_get0_certificate(_handle));
        // The CRL is part of the trust: a new list starts new keys, so no session verified before it is offered.
        var trust = File.ReadAllBytes(o.CaPath).Concat(o.CrlPath is null ? [] : File.ReadAllBytes(o.CrlPath)).ToArray();
        TrustFingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(trust))[..16];
    }

    private static void RequireFile(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new TlsConfigurationException($"no {what} file given");
        }
        if (!File.Exists(path))
        {
            throw new TlsConfigurationException($"cannot load {what} '{path}': file not found");
        }
    }

    private static void Load(int result, string what, string path)
    {
        // The queue was cleared by the caller's previous step; the first entry is this call's cause.
        if (result != 1)
        {
            throw new TlsConfigurationException($"cannot load {what} '{path}': {OpenSslError.TakeText("unknown OpenSSL error")}");
        }
        OpenSslError.Clear();
    }

    private string Fingerprint()
    {
        var certificate = LibSsl.SSL_CTX_get0_certificate(_handle);
        var length = LibCrypto.i2d_X509(certificate, null);
        if (length <= 0)
        {
            throw new TlsConfigurationException($"cannot encode certificate '{Options.CertificatePath}'");
        }
        var der = new byte[length];
        fixed (byte* start = der)
        {
            var cursor = start;
            LibCrypto.i2d_X509(certificate, &cursor);
        }
        return Convert.ToHexStringLower(SHA256.HashData(der));
    }

    private static nint WireVersion(TlsVersion version) => version switch
    {
        TlsVersion.Tls12 => LibSsl.Tls12Version,
        TlsVersion.Tls13 => LibSsl.Tls13Version,
        _ => throw new TlsConfigurationException($"unsupported TLS version {version}"),
    };

    /// <summary>The C# context behind an <c>SSL_CTX*</c> (null when it is being torn down).</summary>
    private static TlsContext? FromNative(IntPtr sslContext)
    {
        var slot = LibSsl.SSL_CTX_get_ex_data(sslContext, ExDataIndex.Context);
        return slot == IntPtr.Zero ? null : GCHandle.FromIntPtr(slot).Target as TlsContext;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TlsContext? FromSsl(IntPtr ssl) => FromNative(LibSsl.SSL_get_SSL_CTX(ssl));
}
