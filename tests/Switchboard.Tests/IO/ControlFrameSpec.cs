using System.Buffers.Binary;
using Switchboard.IO;
using Switchboard.IO.Delivery;

namespace Switchboard.Tests.IO;

public sealed class ControlFrameSpec
{
    [Fact]
    public void Resume_and_ack_round_trip_behind_a_header_with_bit_31_set()
    {
        foreach (var frame in new[] { ControlFrame.Resume(0xFEDC_BA98_7654_3210, 42), ControlFrame.Ack(long.MaxValue), ControlFrame.Ack(0) })
        {
            var bytes = frame.Encode();
            var header = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            Assert.NotEqual(0u, header & Framing.ControlBit);
            Assert.Equal(bytes.Length - Framing.HeaderLength, (int)(header & ~Framing.ControlBit));
            Assert.True(ControlFrame.TryParse(bytes.AsSpan(Framing.HeaderLength), out var parsed, out var known));
            Assert.True(known);
            Assert.Equal(frame, parsed);
        }
    }

    [Fact]
    public void The_wire_layout_is_type_byte_then_big_endian_fields()
    {
        var resume = ControlFrame.Resume(1, 2).Encode();
        Assert.Equal(new byte[] { 0x80, 0, 0, 17, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2 }, resume);
        var ack = ControlFrame.Ack(3).Encode();
        Assert.Equal(new byte[] { 0x80, 0, 0, 9, 2, 0, 0, 0, 0, 0, 0, 0, 3 }, ack);
    }

    [Fact]
    public void A_truncated_known_frame_is_malformed_and_an_unknown_type_is_reported_as_unknown()
    {
        Assert.False(ControlFrame.TryParse(new byte[] { 2, 0, 0, 0 }, out _, out var truncatedKnown));
        Assert.True(truncatedKnown);
        Assert.False(ControlFrame.TryParse(new byte[] { 77, 1, 2, 3 }, out _, out var unknown));
        Assert.False(unknown);
        Assert.False(ControlFrame.TryParse([], out _, out var empty));
        Assert.False(empty);
    }

    [Fact]
    public void A_sequence_number_of_2_to_the_63_or_more_is_malformed()
    {
        var ack = new byte[ControlFrame.AckLength];
        ack[0] = (byte)ControlFrameType.Ack;
        BinaryPrimitives.WriteUInt64BigEndian(ack.AsSpan(1), 1UL << 63);
        Assert.False(ControlFrame.TryParse(ack, out _, out var known));
        Assert.True(known);
    }

    [Fact]
    public void Longer_bodies_are_accepted_for_fields_a_later_version_may_append()
    {
        var body = ControlFrame.Ack(5).Encode().AsSpan(Framing.HeaderLength).ToArray().Concat(new byte[] { 9, 9 }).ToArray();
        Assert.True(ControlFrame.TryParse(body, out var parsed, out _));
        Assert.Equal(ControlFrame.Ack(5), parsed);
    }
}
