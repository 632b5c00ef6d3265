using System.Buffers;
using System.Buffers.Binary;

namespace Switchboard.IO.Delivery;

/// <summary>
/// A decoded control frame of the acknowledged framing. <see cref="Seq"/> is Resume's next sequence number or
/// Ack's delivered one; <see cref="Epoch"/> is 0 for an Ack. Sequence numbers are u64 on the wire and never
/// reach 2^63 (one per frame), so they are longs here.
/// </summary>
internal readonly record struct ControlFrame(ControlFrameType Type, ulong Epoch, long Seq)
{
    public const int ResumeLength = 1 + 8 + 8;
    public const int AckLength = 1 + 8;

    public static ControlFrame Resume(ulong epoch, long nextSeq) => new(ControlFrameType.Resume, epoch, nextSeq);

    public static ControlFrame Ack(long delivered) => new(ControlFrameType.Ack, 0, delivered);

    /// <summary>Header (length with bit 31 set) and body.</summary>
    public void Write(IBufferWriter<byte> output)
    {
        var bodyLength = Type == ControlFrameType.Resume ? ResumeLength : AckLength;
        var span = output.GetSpan(Framing.HeaderLength + bodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(span, Framing.ControlBit | (uint)bodyLength);
        span[Framing.HeaderLength] = (byte)Type;
        var fields = span[(Framing.HeaderLength + 1)..];
        if (Type == ControlFrameType.Resume)
        {
            BinaryPrimitives.WriteUInt64BigEndian(fields, Epoch);
            fields = fields[8..];
        }

        BinaryPrimitives.WriteUInt64BigEndian(fields, (ulong)Seq);
        output.Advance(Framing.HeaderLength + bodyLength);
    }

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(Framing.HeaderLength + ResumeLength);
        Write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses a control frame's body (the header already stripped).</summary>
    /// <returns>false for a body that is too short, a sequence number ≥ 2^63, or an unknown type (<paramref name="known"/> tells which).</returns>
    public static bool TryParse(ReadOnlySpan<byte> body, out ControlFrame frame, out bool known)
    {
        frame = default;
        known = body.Length > 0 && body[0] is (byte)ControlFrameType.Resume or (byte)ControlFrameType.Ack;
        if (!known)
        {
            return false;
        }

        var type = (ControlFrameType)body[0];
        // Longer bodies are accepted: a later version may append fields, which this one ignores.
        if (body.Length < (type == ControlFrameType.Resume ? ResumeLength : AckLength))
        {
            return false;
        }

        var fields = body[1..];
        ulong epoch = 0;
        if (type == ControlFrameType.Resume)
        {
            epoch = BinaryPrimitives.ReadUInt64BigEndian(fields);
            fields = fields[8..];
        }

        var seq = BinaryPrimitives.ReadUInt64BigEndian(fields);
        if (seq > long.MaxValue)
        {
            return false;
        }

        frame = new ControlFrame(type, epoch, (long)seq);
        return true;
    }
}
