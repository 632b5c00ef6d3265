using System.Buffers;
using System.Buffers.Binary;

namespace Switchboard.IO;

/// <summary>
/// Frames after the handshake: a 4-byte big-endian length, then the payload. A zero-length frame is a
/// heartbeat: it proves the link is alive and is never delivered to the application.
/// </summary>
internal static class Framing
{
    public const int HeaderLength = 4;

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
