using System.Runtime.InteropServices;
using System.Text;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// ALPN for the acknowledged framing. A client offers exactly one protocol; our server selects it when
/// offered and otherwise answers nothing, so a client that offers nothing (an old agent, <c>openssl
/// s_client</c>) and a server that selects nothing (<c>openssl s_server</c> without <c>-alpn</c>) both end
/// up on the plain frames of architecture §7.
/// </summary>
internal sealed unsafe partial class TlsContext
{
    /// <summary>The ALPN protocol ID of the acknowledged framing (see IO/Framing.cs).</summary>
    public const string AcknowledgedProtocol = "switchboard/2";

    /// <summary>The ALPN wire format of the one protocol offered: a length byte, then the name.</summary>
    private static readonly byte[] OfferedProtocols = WireFormat(AcknowledgedProtocol);

    private static byte[] WireFormat(string protocol)
    {
        var name = Encoding.ASCII.GetBytes(protocol);
        return [(byte)name.Length, .. name];
    }

    private void ConfigureAlpn()
    {
        if (!Options.Acknowledgements)
        {
            return;
        }

        if (IsServer)
        {
            LibSsl.SSL_CTX_set_alpn_select_cb(_handle, (IntPtr)(delegate* unmanaged<IntPtr, byte**, byte*, byte*, uint, IntPtr, int>)&OnSelectProtocol, IntPtr.Zero);
            return;
        }

        fixed (byte* protocols = OfferedProtocols)
        {
            if (LibSsl.SSL_CTX_set_alpn_protos(_handle, protocols, (uint)OfferedProtocols.Length) != 0)
            {
                throw new TlsConfigurationException("OpenSSL refused the ALPN protocol list");
            }
        }
    }

    /// <summary>
    /// The server's ALPN select callback: picks our protocol if the client's list holds it. The answer
    /// points into the client's own list, which OpenSSL keeps alive for the handshake, so nothing
    /// managed has to stay pinned. Never lets an exception escape.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int OnSelectProtocol(IntPtr ssl, byte** selected, byte* selectedLength, byte* offered, uint offeredLength, IntPtr argument)
    {
        try
        {
            var list = new ReadOnlySpan<byte>(offered, (int)offeredLength);
            var wanted = OfferedProtocols.AsSpan(1);
            for (var at = 0; at < list.Length;)
            {
                int length = list[at];
                if (at + 1 + length > list.Length)
                {
                    break; // malformed list: select nothing rather than read past it
                }

                if (list.Slice(at + 1, length).SequenceEqual(wanted))
                {
                    *selected = offered + at + 1;
                    *selectedLength = (byte)length;
                    return LibSsl.TlsextErrOk;
                }

                at += 1 + length;
            }

            return LibSsl.TlsextErrNoAck;
        }
        catch
        {
            return LibSsl.TlsextErrNoAck;
        }
    }
}
