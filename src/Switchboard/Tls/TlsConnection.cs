using System.Buffers;
using System.Runtime.InteropServices;
using Switchboard.Configuration;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// One TLS connection as a pure state machine: an OpenSSL <c>SSL*</c> between two memory BIOs. Ciphertext
/// goes in through <see cref="Receive"/>, bytes to put on the wire come out through the <c>toSend</c>
/// writers. No sockets, threads or awaits; one thread at a time (an IO actor) drives it, and OpenSSL's
/// per-thread error queue is read inside each call.
/// </summary>
internal sealed unsafe partial class TlsConnection : IDisposable
{
    // Big enough for a full TLS record (16 KiB + overhead) so SSL_read never stalls on a short buffer.
    private const int ReadChunk = 16 * 1024 + 512;
    private const int WriteChunk = 64 * 1024;

    private readonly TlsContext _context;
    private readonly SslHandle _ssl;
    private IntPtr _input;
    private IntPtr _output;
    private readonly string? _endpoint;
    private List<TlsSession> _newSessions = new();
    private bool _sessionsArrived;
    private bool _started;

    // The session this client offered (borrowed; the SSL holds a reference while it lives).
    private IntPtr _offeredSession;

    private TlsConnection(TlsContext context, string? endpoint, TlsSession? resume)
    {
        this._context = context;
        this._endpoint = endpoint;
        OpenSslError.Clear();
        _ssl = LibSsl.SSL_new(context.Handle);
        if (_ssl.IsInvalid)
        {
            throw new InvalidOperationException("SSL_new failed: " + OpenSslError.TakeText("out of memory?"));
        }
        _ssl.Owner = GCHandle.Alloc(this, GCHandleType.Weak);
        LibSsl.SSL_set_ex_data(_ssl, ExDataIndex.Connection, GCHandle.ToIntPtr(_ssl.Owner));

        _input = NewMemoryBio();
        _output = NewMemoryBio();
        LibSsl.SSL_set_bio(_ssl, _input, _output); // the SSL owns both BIOs from here on

        if (endpoint is null)
        {
            LibSsl.SSL_set_accept_state(_ssl);
            return;
        }
        LibSsl.SSL_set_connect_state(_ssl);
        if (!HostNames.IsIpLiteral(endpoint))
        {
            var name = Marshal.StringToCoTaskMemUTF8(endpoint);
            try
            {
                LibSsl.SSL_ctrl(_ssl, LibSsl.CtrlSetTlsextHostName, LibSsl.TlsextNameTypeHostName, name);
            }
            finally
            {
                Marshal.FreeCoTaskMem(name);
            }
        }
        // Checked during chain verification, so a full handshake with the wrong peer aborts with an alert; an
        // IP-literal name is checked against iPAddress SANs (OpenSSL parses it), as PeerIdentity.Matches does.
        // Resumed handshakes skip verification; CompleteHandshake checks the session's certificate again.
        // "a*.example.com" names no agent: partial wildcards are refused here and in PeerIdentity alike.
        LibSsl.SSL_set_hostflags(_ssl, LibSsl.X509CheckFlagNoPartialWildcards);
        if (LibSsl.SSL_set1_host(_ssl, endpoint) != 1)
        {
            // Without it the chain would verify for any name: never hand out such a connection.
            _ssl.Dispose();
            throw new TlsConfigurationException($"OpenSSL refused '{endpoint}' as the expected peer name: {OpenSslError.TakeText("SSL_set1_host")}");
        }

        if (resume is not null)
        {
            LibSsl.SSL_set_session(_ssl, resume);
            _offeredSession = resume.DangerousPointer;
        }
    }

    public TlsState State { get; private set; } = TlsState.Handshaking;

    public TlsFailure? Failure { get; private set; }

    public HandshakeInfo? Handshake { get; private set; }

    public bool IsClient => _endpoint is not null;

    /// <summary>The endpoint name this client expects (SNI and peer identity); null on a server.</summary>
    public string? Endpoint => _endpoint;

    /// <summary>True while the handshake or a record is incomplete and only more ciphertext can move it on.</summary>
    public bool WantsMoreInput => State is TlsState.Handshaking or TlsState.Established || (State == TlsState.Closed && AwaitingPeerClose);

    private bool AwaitingPeerClose => Handshake is not null && !_ssl.IsClosed && (LibSsl.SSL_get_shutdown(_ssl) & LibSsl.ReceivedShutdown) == 0;

    public static TlsConnection CreateClient(TlsContext context, string endpointName, TlsSession? resume)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointName);
        if (context.IsServer)
        {
            throw new ArgumentException("a client connection needs a client context", nameof(context));
        }
        return new TlsConnection(context, endpointName, resume);
    }

    public static TlsConnection CreateServer(TlsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsServer)
        {
            throw new ArgumentException("a server connection needs a server context", nameof(context));
        }
        return new TlsConnection(context, endpoint: null, resume: null);
    }

    /// <summary>Begins the handshake: a client writes its ClientHello to <paramref name="toSend"/>; a server writes nothing.</summary>
    public TlsProgress Start(IBufferWriter<byte> toSend)
    {
        ArgumentNullException.ThrowIfNull(toSend);
        ThrowIfDisposed();
        if (_started || State != TlsState.Handshaking)
        {
            return TlsProgress.None;
        }
        _started = true;
        return IsClient ? Collect(AdvanceHandshake(), toSend) : TlsProgress.None;
    }

    /// <summary>
    /// Feeds ciphertext (any split of the byte stream) and moves the connection on: handshake messages and
    /// alerts to <paramref name="toSend"/>, application data to <paramref name="plaintext"/>.
    /// </summary>
    public TlsProgress Receive(ReadOnlySpan<byte> ciphertext, IBufferWriter<byte> toSend, IBufferWriter<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(toSend);
        ArgumentNullException.ThrowIfNull(plaintext);
        ThrowIfDisposed();
        if (State == TlsState.Failed || (State == TlsState.Closed && !AwaitingPeerClose))
        {
            return TlsProgress.None;
        }
        _started = true;
        Feed(ciphertext);
        if (State == TlsState.Closed)
        {
            // We sent close_notify; the peer's data and its close_notify may still arrive.
            return Collect(ReadPlaintext(plaintext), toSend);
        }
        var progress = TlsProgress.None;
        if (State == TlsState.Handshaking)
        {
            progress |= AdvanceHandshake();
        }
        if (State == TlsState.Established)
        {
            progress |= ReadPlaintext(plaintext);
        }
        return Collect(progress, toSend);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> (any size) into records written to <paramref name="toSend"/>.</summary>
    public TlsProgress Send(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> toSend)
    {
        ArgumentNullException.ThrowIfNull(toSend);
        ThrowIfDisposed();
        if (State != TlsState.Established)
        {
            throw new InvalidOperationException($"cannot send application data while the connection is {State}");
        }
        var progress = TlsProgress.None;
        fixed (byte* start = plaintext)
        {
            var offset = 0;
            while (offset < plaintext.Length)
            {
                var length = Math.Min(plaintext.Length - offset, WriteChunk);
                OpenSslError.Clear();
                var written = LibSsl.SSL_write(_ssl, start + offset, length);
                if (written <= 0)
                {
                    progress |= FailFromCall(written);
                    break;
                }
                offset += written;
                Drain(toSend); // keeps the output BIO small for large payloads
            }
        }
        return Collect(progress, toSend);
    }

    /// <summary>
    /// Sends close_notify (once). Needed for resumption: OpenSSL marks the session of an SSL freed without
    /// shutdown as not resumable.
    /// </summary>
    public void Close(IBufferWriter<byte> toSend)
    {
        ArgumentNullException.ThrowIfNull(toSend);
        ThrowIfDisposed();
        if (State == TlsState.Failed)
        {
            return;
        }
        if (Handshake is not null && (LibSsl.SSL_get_shutdown(_ssl) & LibSsl.SentShutdown) == 0)
        {
            OpenSslError.Clear();
            LibSsl.SSL_shutdown(_ssl);
            OpenSslError.Clear();
            Drain(toSend);
        }
        State = TlsState.Closed;
    }

    /// <summary>
    /// Sessions received so far (TLS 1.2 at handshake end, TLS 1.3 tickets later); the caller owns them. None until
    /// the handshake has completed and the peer's identity was checked: they stay held until then.
    /// </summary>
    public List<TlsSession> TakeNewSessions()
    {
        if (_newSessions.Count == 0 || Handshake is null || State == TlsState.Failed)
        {
            return new List<TlsSession>();
        }
        var taken = _newSessions;
        _newSessions = new List<TlsSession>();
        return taken;
    }

    public void Dispose()
    {
        if (_ssl.IsClosed)
        {
            return;
        }
        // A link that merely dropped (no close_notify) keeps its session resumable: reconnect storms after
        // agents drop their links are exactly when resumption matters. Failed handshakes are left alone.
        if (Handshake is not null && State != TlsState.Failed && !_ssl.IsInvalid)
        {
            LibSsl.SSL_set_shutdown(_ssl, LibSsl.SentShutdown | LibSsl.ReceivedShutdown);
        }
        _ssl.Dispose();
        DisposeHeldSessions();
    }

    private void DisposeHeldSessions()
    {
        foreach (var session in _newSessions)
        {
            session.Dispose();
        }

        _newSessions.Clear();
    }

    public override string ToString() =>
        $"TlsConnection({(IsClient ? "client to " + _endpoint : "server")}, {State}{(Failure is null ? "" : ", " + Failure)})";

    private static IntPtr NewMemoryBio()
    {
        var bio = LibCrypto.BIO_new(LibCrypto.BIO_s_mem());
        if (bio == IntPtr.Zero)
        {
            throw new InvalidOperationException("BIO_new failed");
        }
        // An empty memory BIO must read as "retry later", never as end of stream.
        LibCrypto.BIO_ctrl(bio, LibCrypto.BioCtrlSetMemEofReturn, -1, IntPtr.Zero);
        return bio;
    }

    private void Feed(ReadOnlySpan<byte> ciphertext)
    {
        fixed (byte* start = ciphertext)
        {
            var offset = 0;
            while (offset < ciphertext.Length)
            {
                var written = LibCrypto.BIO_write(_input, start + offset, ciphertext.Length - offset);
                if (written <= 0)
                {
                    throw new InsufficientMemoryException("memory BIO refused ciphertext");
                }
                offset += written;
            }
        }
    }

    private TlsProgress ReadPlaintext(IBufferWriter<byte> plaintext)
    {
        // Bounded: every iteration either consumes input or leaves the loop.
        while (LibCrypto.BIO_ctrl_pending(_input) > 0 || LibSsl.SSL_has_pending(_ssl) == 1)
        {
            var span = plaintext.GetSpan(ReadChunk);
            int read;
            OpenSslError.Clear();
            fixed (byte* buffer = span)
            {
                read = LibSsl.SSL_read(_ssl, buffer, span.Length);
            }
            if (read > 0)
            {
                plaintext.Advance(read);
                continue;
            }
            var error = LibSsl.SSL_get_error(_ssl, read);
            switch (error)
            {
                case LibSsl.ErrorWantRead:
                case LibSsl.ErrorWantWrite:
                    return TlsProgress.None;
                case LibSsl.ErrorZeroReturn:
                    State = TlsState.Closed;
                    return TlsProgress.PeerClosed;
                default:
                    return Fail(Classify(error));
            }
        }
        return TlsProgress.None;
    }

    /// <summary>Moves pending output to the wire buffer and reports sessions that arrived during the call.</summary>
    private TlsProgress Collect(TlsProgress progress, IBufferWriter<byte> toSend)
    {
        Drain(toSend);
        ReleaseIdleMemory();
        if (_sessionsArrived)
        {
            _sessionsArrived = false;
            progress |= TlsProgress.NewSessions;
        }
        return progress;
    }

    private void Drain(IBufferWriter<byte> toSend)
    {
        // Bounded by what OpenSSL queued; each pass moves at least one byte.
        var pending = (int)Math.Min((ulong)LibCrypto.BIO_ctrl_pending(_output), int.MaxValue);
        while (pending > 0)
        {
            var span = toSend.GetSpan(pending);
            int read;
            fixed (byte* buffer = span)
            {
                read = LibCrypto.BIO_read(_output, buffer, Math.Min(span.Length, pending));
            }
            if (read <= 0)
            {
                return;
            }
            toSend.Advance(read);
            pending -= read;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_ssl.IsClosed, this);

    private static string Utf8(IntPtr text) => OpenSslError.Utf8(text) ?? "";
}
