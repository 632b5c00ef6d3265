using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// A resumable TLS session (one reference to an OpenSSL <c>SSL_SESSION*</c>). Keep these in memory for
/// resumption; <see cref="Export"/>/<see cref="Import"/> are for persistence, where the file holds
/// <see cref="ExportWithoutPeer"/>'s bytes: restoring a session with its certificate parses it again.
/// </summary>
internal sealed unsafe class TlsSession : SafeHandleZeroOrMinusOneIsInvalid
{
    public TlsSession()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of one reference to <paramref name="session"/>.</summary>
    internal TlsSession(IntPtr session)
        : base(ownsHandle: true)
    {
        SetHandle(session);
    }

    /// <summary>Bytes of the DER encoding (<c>i2d_SSL_SESSION</c>).</summary>
    public int EncodedLength
    {
        get
        {
            var length = LibSsl.i2d_SSL_SESSION(Pointer, null);
            GC.KeepAlive(this);
            return Math.Max(length, 0);
        }
    }

    public TlsVersion Protocol
    {
        get
        {
            var version = LibSsl.SSL_SESSION_get_protocol_version(Pointer);
            GC.KeepAlive(this);
            return version >= LibSsl.Tls13Version ? TlsVersion.Tls13 : TlsVersion.Tls12;
        }
    }

    public DateTime CreatedUtc
    {
        get
        {
            var seconds = LibSsl.SSL_SESSION_get_time(Pointer);
            GC.KeepAlive(this);
            return DateTime.UnixEpoch.AddSeconds(seconds);
        }
    }

    /// <summary>The server's ticket lifetime hint when it sent one, else the session timeout.</summary>
    public TimeSpan Lifetime
    {
        get
        {
            var hint = LibSsl.SSL_SESSION_get_ticket_lifetime_hint(Pointer);
            var timeout = hint > 0 ? (long)hint : LibSsl.SSL_SESSION_get_timeout(Pointer);
            GC.KeepAlive(this);
            return TimeSpan.FromSeconds(timeout);
        }
    }

    public DateTime ExpiresUtc => CreatedUtc + Lifetime;

    public bool IsResumable
    {
        get
        {
            var resumable = LibSsl.SSL_SESSION_is_resumable(Pointer) == 1;
            GC.KeepAlive(this);
            return resumable;
        }
    }

    /// <summary>TLS 1.3 tickets are offered once (RFC 8446 §C.4); a cache hands each out at most once.</summary>
    public bool SingleUse => Protocol == TlsVersion.Tls13;

    private IntPtr Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed || IsInvalid, this);
            return handle;
        }
    }

    /// <summary>The DER encoding, for persistence.</summary>
    public byte[] Export()
    {
        var der = new byte[EncodedLengthOrThrow()];
        EncodeInto(der);
        return der;
    }

    private int EncodedLengthOrThrow() =>
        EncodedLength is > 0 and var length ? length : throw new InvalidOperationException("OpenSSL could not encode this session");

    /// <summary>Writes the DER into the first <see cref="EncodedLengthOrThrow"/> bytes of <paramref name="der"/>.</summary>
    private void EncodeInto(Span<byte> der)
    {
        fixed (byte* start = der)
        {
            var cursor = start; // i2d advances the pointer it is given
            var written = LibSsl.i2d_SSL_SESSION(Pointer, &cursor);
            if (written != der.Length)
            {
                throw new InvalidOperationException($"OpenSSL encoded {written} session bytes, announced {der.Length}");
            }
        }

        GC.KeepAlive(this);
    }

    /// <summary>
    /// The DER encoding without the peer's certificate, for the session file. Importing a session parses
    /// its certificate, and on OpenSSL 3.0 that parse (public-key decoders, global locks) was the largest
    /// single cost of a restart's reconnect. The identity the certificate proved stays in the session as
    /// its host name, which the resumed handshake checks instead (<see cref="Hostname"/>).
    /// </summary>
    /// <remarks>A session that names no endpoint keeps its certificate: that is what its resumption checks.</remarks>
    public byte[] ExportWithoutPeer()
    {
        if (Hostname is null)
        {
            return Export();
        }

        // The whole encoding, certificate and all, is only read from: a rented buffer, not an array per ticket.
        // It holds the resumption secret, so it goes back to the pool wiped.
        var length = EncodedLengthOrThrow();
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            EncodeInto(rented.AsSpan(0, length));
            return SessionDer.WithoutPeer(rented.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The endpoint the session was made with, whose certificate its full handshake verified.</summary>
    public string? Hostname
    {
        get
        {
            var name = HostnameOf(Pointer);
            GC.KeepAlive(this);
            return name;
        }
    }

    /// <summary>The host name recorded in a borrowed <c>SSL_SESSION*</c> (null for none or no session).</summary>
    internal static string? HostnameOf(IntPtr session)
    {
        var name = session == IntPtr.Zero ? IntPtr.Zero : LibSsl.SSL_SESSION_get0_hostname(session);
        return name == IntPtr.Zero ? null : System.Runtime.InteropServices.Marshal.PtrToStringUTF8(name);
    }

    /// <summary>Records the endpoint the session was made with (see <see cref="Hostname"/>); never throws.</summary>
    internal bool StampHostname(string endpoint)
    {
        var stamped = LibSsl.SSL_SESSION_set1_hostname(Pointer, endpoint) == 1;
        GC.KeepAlive(this);
        return stamped;
    }

    /// <summary>Whether the session still carries the peer's certificate (a session from the file does not).</summary>
    public bool HasPeerCertificate
    {
        get
        {
            var peer = LibSsl.SSL_SESSION_get0_peer(Pointer);
            GC.KeepAlive(this);
            return peer != IntPtr.Zero;
        }
    }

    /// <summary>A session from its DER encoding, or null when the bytes are not one (never throws for bad bytes).</summary>
    public static TlsSession? Import(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty)
        {
            return null;
        }
        fixed (byte* start = der)
        {
            var cursor = start;
            OpenSslError.Clear();
            var session = LibSsl.d2i_SSL_SESSION(IntPtr.Zero, &cursor, der.Length);
            if (session == IntPtr.Zero)
            {
                OpenSslError.Clear();
                return null;
            }
            return new TlsSession(session);
        }
    }

    /// <summary>Borrowed pointer for OpenSSL calls that take their own reference (<c>SSL_set_session</c>).</summary>
    internal IntPtr DangerousPointer => Pointer;

    protected override bool ReleaseHandle()
    {
        LibSsl.SSL_SESSION_free(handle);
        return true;
    }
}
