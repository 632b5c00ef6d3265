using System.Net;
using System.Runtime.InteropServices;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Tls;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// Agents that prefer TLS 1.3 resumption by psk_ke (no fresh key exchange), as an agent on OpenSSL 3.3 or later
/// does with <c>SSL_OP_PREFER_NO_DHE_KEX</c>. That is what a master's <c>tls13-resumption-key-exchange = "psk_ke"</c>
/// needs from its peers to save anything.
/// </summary>
/// <remarks>
/// OpenSSL 3.0 has no such option. Its server resumes by psk_dhe_ke whenever it shares a group with the client,
/// and an OpenSSL client always offers psk_dhe_ke beside psk_ke, with a key share. So when a ClientHello carries
/// a ticket and offers psk_ke, the agent narrows its groups, for that handshake only, to one that no TLS 1.3
/// client offers. With no group in common, OpenSSL resumes by psk_ke, as its key-share rules allow. A full
/// handshake is left alone. One difference from the 3.3 option: a ticket the agent then refuses fails the
/// handshake (no group to fall back to a full one with) instead of falling back. The fleet's agents accept every
/// ticket they issued, so a storm never meets it.
/// </remarks>
internal static unsafe partial class PskKePreference
{
    private const string LibSsl = "libssl.so.3";
    private const uint PreSharedKeyExtension = 41;
    private const uint PskKeyExchangeModesExtension = 45;
    private const byte PskKe = 0;
    private const int ClientHelloSuccess = 1;
    private const int CtrlSetGroupsList = 92;

    // A TLS 1.2-only group in OpenSSL 3.0 (TLS 1.3 code points for it came in 3.2): never in a 1.3 key share.
    private static ReadOnlySpan<byte> NoTls13Group => "brainpoolP256r1\0"u8;

    /// <summary>Accepts links as <see cref="IoPool.Listen"/> does, from an agent that prefers psk_ke.</summary>
    public static InboundListener Listen(IoPool io, IPEndPoint address, TlsSettings tls, InboundHandler handler)
    {
        var context = io.ServerContext(tls with { AllowPskWithoutDhe = true }, serverSessions: null);
        Install(context);
        return io.Listen(address, context, handler);
    }

    /// <summary>Makes a server context prefer psk_ke when a client offers it with a ticket.</summary>
    public static void Install(TlsContext context)
    {
        if (!context.IsServer || !context.Options.AllowPskWithoutDhe)
        {
            throw new ArgumentException("psk_ke is preferred by a server context that allows it (AllowPskWithoutDhe)", nameof(context));
        }

        SSL_CTX_set_client_hello_cb(context.Handle.DangerousGetHandle(), (IntPtr)(delegate* unmanaged<IntPtr, int*, IntPtr, int>)&OnClientHello, IntPtr.Zero);
    }

    /// <summary>True when the extension's body (a length byte, then the modes) offers psk_ke.</summary>
    internal static bool OffersPskKe(ReadOnlySpan<byte> modes) =>
        modes.Length > 0 && modes[0] == modes.Length - 1 && modes[1..].Contains(PskKe);

    [UnmanagedCallersOnly]
    private static int OnClientHello(IntPtr ssl, int* alert, IntPtr argument)
    {
        byte* data;
        nuint length;
        if (SSL_client_hello_get0_ext(ssl, PreSharedKeyExtension, &data, &length) == 1
            && SSL_client_hello_get0_ext(ssl, PskKeyExchangeModesExtension, &data, &length) == 1
            && OffersPskKe(new ReadOnlySpan<byte>(data, checked((int)length))))
        {
            fixed (byte* group = NoTls13Group)
            {
                SSL_ctrl(ssl, CtrlSetGroupsList, 0, (IntPtr)group);
            }
        }

        return ClientHelloSuccess;
    }

    [LibraryImport(LibSsl)]
    private static partial void SSL_CTX_set_client_hello_cb(IntPtr context, IntPtr callback, IntPtr argument);

    [LibraryImport(LibSsl)]
    private static partial int SSL_client_hello_get0_ext(IntPtr ssl, uint type, byte** data, nuint* length);

    [LibraryImport(LibSsl)]
    private static partial nint SSL_ctrl(IntPtr ssl, int command, nint larg, IntPtr parg);
}
