using System.Buffers;
using System.Buffers.Binary;

namespace Switchboard.IO;

/// <summary>
/// Frames after the handshake: a 4-byte big-endian length, then the payload (architecture §7). A zero-length
/// frame is a heartbeat: it proves the link is alive and is never delivered to the application.
/// <para>
/// Links that negotiate <see cref="Tls.TlsContext.AcknowledgedProtocol"/> by TLS ALPN keep that format for data frames and
/// add control frames: a header with bit 31 set (lengths are bounded by max-frame-size, far below 2^31)
/// followed by a type byte and its fields (<see cref="ControlFrame"/>). A peer that negotiates nothing,
/// such as <c>openssl s_server</c> or an older agent, sees exactly the frames it always did.
/// </para>
/// </summary>
internal static class Framing
{
    public const int HeaderLength = 4;

    /// <summary>Bit 31 of a header marks a control frame on an acknowledged link.</summary>
    public const uint ControlBit = 0x8000_0000;

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(HeaderLength + payload.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, payload.Length);
        payload.CopyTo(span[HeaderLength..]);
        output.Advance(HeaderLength + payload.Length);
    }

    public static byte[] Encode(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderLength + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }
}
